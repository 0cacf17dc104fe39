# SPDX-License-Identifier: AGPL-3.0-or-later
"""Generate the sample contracts in ``resources/samples``.

Usage::

    python resources/samples/generate.py [--out DIR] [--only digital|scan]

Writes, into ``DIR`` (default: this script's folder):

* ``master_services_agreement.pdf`` -- a born-digital, fictional Master Services
  Agreement laid out with PyMuPDF's ``Story`` (HTML/CSS) on US-letter pages;
* ``master_services_agreement_scanned.pdf`` -- an image-only "scanned" rendition of
  it (300 dpi greyscale, slight per-page rotation, noise, speckles, blur, JPEG);
* ``master_services_agreement_scanned.json`` -- per-page ground truth for the scan
  (the rotation applied to each page).

Everything is deterministic: the same PyMuPDF / numpy / Pillow versions give the same
bytes on every run.  The contract text is original work written for this project; the
parties, people, addresses and e-mail domains are invented.

Deliberate defect (ground truth for the cross-reference checker): Section 4.8 refers to
"Section 14.7", but Article 14 only has Sections 14.1 to 14.6.  This is the one and only
dangling cross-reference in the agreement; ``_check_cross_references`` enforces that.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFilter

DIGITAL_NAME = "master_services_agreement.pdf"
SCAN_NAME = "master_services_agreement_scanned.pdf"
SCAN_JSON_NAME = "master_services_agreement_scanned.json"

PAGE = pymupdf.paper_rect("letter")  # 612 x 792 pt
MARGIN = 72.0  # 1 inch on every side for the body text
BODY_RECT = pymupdf.Rect(MARGIN, MARGIN, PAGE.width - MARGIN, PAGE.height - MARGIN)
HEADER_RECT = pymupdf.Rect(MARGIN, 38.0, PAGE.width - MARGIN, MARGIN - 8.0)
FOOTER_RECT = pymupdf.Rect(MARGIN, PAGE.height - MARGIN + 22.0, PAGE.width - MARGIN, PAGE.height)

HEADER_TEXT = "Master Services Agreement — Confidential"
AGREEMENT_NO = "Agreement No. HP-WX-2025-0147"

SCAN_DPI = 300
SCAN_SEED = 20250303
SCAN_MAX_ANGLE = 1.5  # degrees
SCAN_MIN_ANGLE = 0.15  # degrees; every page gets a visible (if slight) skew
SCAN_JPEG_QUALITY = 75

# A fixed date keeps the PDF metadata (and so the file bytes) reproducible.
PDF_DATE = "D:20250303090000Z"

# --------------------------------------------------------------------------------------
# Contract text
#
# The operative body is written in a tiny line-oriented markup, parsed by ``_body_html``:
#
# * paragraphs are separated by blank lines; lines inside a paragraph are joined;
# * ``ARTICLE n TITLE``           -> centred article heading;
# * ``n.m Caption. Text``         -> numbered section, caption in bold;
# * ``(a) Text``                  -> first-level sub-clause (letters);
# * ``(i) Text``                  -> second-level sub-clause (roman numerals);
# * ``"Term" means ...``          -> definition (term in bold);
# * lines starting with ``| ``    -> a block of short lines (addresses), kept as lines;
# * anything else                 -> a plain paragraph.
#
# Straight quotes are turned into typographic quotes when rendering.
# --------------------------------------------------------------------------------------

PROVIDER = "Halloran Pike Digital Services, Inc."
CUSTOMER = "Wexcombe Provisions Corporation"

PREAMBLE = (
    'This MASTER SERVICES AGREEMENT (this "Agreement") is entered into and dated as of '
    'March 3, 2025 (the "Effective Date"), by and between HALLORAN PIKE DIGITAL SERVICES, '
    "INC., a Delaware corporation having its principal place of business at 1450 Lantern "
    'Wharf Road, Suite 600, Stamford, Connecticut 06901 (the "Provider"), and WEXCOMBE '
    "PROVISIONS CORPORATION, a New York corporation having its principal place of business "
    'at 88 Corliss Exchange Place, 21st Floor, New York, New York 10004 (the "Customer"). '
    'Provider and Customer are each referred to in this Agreement as a "Party" and '
    'together as the "Parties".'
)

RECITALS = [
    "Provider is engaged in the business of providing managed technology operations, "
    "application maintenance, data migration and related professional services to "
    "businesses in the United States and Canada.",
    "Customer is a distributor of specialty and private-label food products and operates "
    "wholesale ordering portals and retail e-commerce platforms through which it sells "
    "those products to trade and consumer customers.",
    "Customer wishes to engage Provider to operate, maintain and enhance certain of those "
    "platforms and to provide related services from time to time, and Provider wishes to "
    "provide such services, in each case on the terms and subject to the conditions set "
    "out in this Agreement.",
]

CONSIDERATION = (
    "NOW, THEREFORE, in consideration of the mutual covenants and agreements set out in this "
    "Agreement, and for other good and valuable consideration, the receipt and sufficiency "
    "of which are hereby acknowledged, the Parties, intending to be legally bound, agree as "
    "follows:"
)

BODY = """
ARTICLE 1 DEFINITIONS AND INTERPRETATION

1.1 Definitions. In this Agreement, the following capitalized terms have the meanings set
out below. Other capitalized terms are defined where they first appear in this Agreement.

"Acceptance" means Customer's written confirmation that a Deliverable conforms in all
material respects to its Specifications, or the deemed acceptance of a Deliverable, in each
case in accordance with Section 5.4.

"Affiliate" means, with respect to a Party, any entity that directly or indirectly controls,
is controlled by, or is under common control with that Party, for only so long as such
control exists, where "control" means the ownership of more than fifty percent (50%) of the
voting securities of an entity or the power to direct its management and policies, whether by
contract or otherwise.

"Applicable Law" means all federal, state, provincial, local and foreign laws, statutes,
ordinances, regulations, rules, codes, orders, judgments and decrees of any governmental
authority that apply to a Party, to the Services or to the subject matter of this Agreement.

"Business Day" means any day other than a Saturday, a Sunday or a day on which commercial
banks in New York, New York are authorized or required by law to remain closed.

"Change of Control" means, with respect to a Party, (i) the acquisition by any person or
group of persons acting in concert of beneficial ownership of more than fifty percent (50%)
of the voting securities of that Party, (ii) a merger, consolidation or reorganization of
that Party in which its shareholders immediately before the transaction hold less than fifty
percent (50%) of the voting power of the surviving entity, or (iii) the sale of all or
substantially all of the assets of that Party.

"Confidential Information" means all non-public information disclosed by or on behalf of a
Party to the other Party, whether before or after the Effective Date, as further described
in Section 8.1.

"Contract Year" means each successive period of twelve (12) months beginning on the Effective
Date or on an anniversary of the Effective Date.

"Customer Data" means all data and information, including personal information, that is
submitted to, collected by, processed by or generated in connection with the Services by or
on behalf of Customer or its Affiliates, and all outputs derived from that data.

"Customer Materials" means all software, systems, documents, data, trademarks and other
materials provided or made available to Provider by or on behalf of Customer, including the
Customer Data.

"Deliverables" means all documents, reports, software, code, configurations, scripts, data
models, designs, work product and other materials that Provider or its Personnel prepare,
develop or deliver to Customer in the course of performing the Services, whether alone or
jointly with others, including all modifications and derivative works of any of them.

"Designated Competitor" means any entity named in Part C of Schedule 1, as Customer may update
that list by written notice to Provider not more than once in any Contract Year.

"Fees" means the fees payable by Customer for the Services as set out in Schedule 2 or in the
applicable Statement of Work.

"Intellectual Property Rights" means all patents, copyrights, trademarks, service marks, trade
secrets, rights in software, database rights, moral rights, rights in designs and know-how,
and all other intellectual or industrial property rights anywhere in the world, whether
registered or unregistered, including all applications, renewals and extensions of them.

"Losses" means all losses, liabilities, damages, fines, penalties, settlements, judgments,
costs and expenses, including reasonable attorneys' fees and costs of investigation.

"Personnel" means the employees, agents, consultants and subcontractors of a Party who
perform obligations on that Party's behalf under this Agreement.

"Pre-Existing IP" means all materials, software, tools, methods and Intellectual Property
Rights owned by or licensed to a Party before the Effective Date, or developed by that Party
after the Effective Date independently of this Agreement and without use of the other Party's
Confidential Information.

"Service Levels" means the performance standards for the Services set out in Part B of
Schedule 1 or in the applicable Statement of Work.

"Services" means the services described in Schedule 1 and in each Statement of Work,
together with any services, functions and responsibilities that are inherent in or
reasonably necessary for the proper performance of those services.

"Specifications" means the functional and technical requirements for a Deliverable set out in
the applicable Statement of Work or otherwise agreed in writing by the Parties.

"Statement of Work" or "SOW" means a statement of work describing particular Services and
Deliverables that is executed by authorized representatives of both Parties and refers to
this Agreement.

"Territory" means the United States of America and Canada.

1.2 Interpretation. In this Agreement, unless the context otherwise requires:

(a) headings are for convenience only and do not affect interpretation;

(b) the words "include", "includes" and "including" are deemed to be followed by the words
"without limitation", and the word "or" is not exclusive;

(c) words in the singular include the plural and vice versa, and references to a person
include any individual, corporation, partnership, limited liability company or other entity;

(d) references to Articles, Sections and Schedules are to the articles and sections of, and
the schedules to, this Agreement, and the Schedules form part of this Agreement; and

(e) this Agreement has been negotiated by the Parties with the benefit of counsel, and no
rule of construction shall apply to the disadvantage of a Party on the basis that the Party
prepared this Agreement or any part of it.

ARTICLE 2 SERVICES

2.1 Engagement. Customer engages Provider, and Provider agrees, to perform the Services
described in Schedule 1 and in each Statement of Work in accordance with this Agreement, the
Service Levels and Applicable Law. Customer's Affiliates may order Services under this
Agreement by executing a Statement of Work, in which case references to Customer in this
Agreement shall, for the purposes of that Statement of Work, be read as references to that
Affiliate.

2.2 Statements of Work. Each Statement of Work shall set out, as applicable:

(a) a description of the Services and Deliverables, the Specifications and any acceptance
criteria;

(b) the project schedule, milestones and any key Personnel; and

(c) the Fees or the basis on which Fees are calculated, which shall be consistent with the
rates in Schedule 2 unless the Statement of Work expressly provides otherwise.

Each Statement of Work is incorporated into and governed by this Agreement. Any conflict
between this Agreement and a Statement of Work shall be resolved in accordance with Section
16.8.

2.3 Change Orders. Either Party may request a change to the scope of the Services under a
Statement of Work by written notice to the other. Within ten (10) Business Days after
receiving or making such a request, Provider shall deliver a written proposal describing the
effect of the change on the Fees, the schedule and the Service Levels. No change shall be
binding unless it is set out in a written change order signed by authorized representatives
of both Parties. Provider shall not suspend or delay performance of the Services pending the
agreement of a change order.

2.4 Customer Responsibilities. Customer shall (a) give Provider's Personnel reasonable access
to Customer's premises, systems and personnel as reasonably required for the Services, (b)
make timely decisions and provide information reasonably requested by Provider, and (c)
perform the Customer responsibilities expressly set out in a Statement of Work. Provider
shall be excused from a failure to perform to the extent that the failure is directly caused
by Customer's failure to perform its obligations under this Section 2.4, provided that
Provider notifies Customer in writing promptly after becoming aware of the failure and uses
commercially reasonable efforts to perform notwithstanding it.

2.5 Provider Personnel.

(a) Provider shall ensure that all Personnel assigned to the Services are appropriately
qualified, trained and experienced, and have executed written agreements with Provider that
are sufficient to give effect to the assignments and waivers set out in Section 7.2(a) and
Section 7.2(b) and to the obligations of confidentiality in Article 8.

(b) Provider shall not remove or replace any Personnel designated as key Personnel in a
Statement of Work during the first six (6) months of their assignment, except in the case of
death, disability, resignation or termination of employment for cause.

(c) Before assigning any individual to perform Services that involve access to Customer Data
or Customer's systems, Provider shall complete a background check on that individual to the
extent permitted by Applicable Law and in accordance with Customer's then-current screening
standards.

(d) Customer may, acting reasonably and in compliance with Applicable Law, require Provider
to remove any individual from the Services. Provider shall promptly provide a suitably
qualified replacement at no additional charge to Customer.

2.6 Subcontractors. Provider shall not subcontract any of its obligations under this
Agreement without Customer's prior written consent. Provider remains fully responsible for
the acts and omissions of its subcontractors as if they were its own, and shall ensure that
each subcontractor is bound by written obligations at least as protective of Customer as
those in Article 7, Article 8 and Article 9.

ARTICLE 3 TERM AND RENEWAL

3.1 Initial Term. This Agreement commences on the Effective Date and, unless terminated
earlier in accordance with Article 14, continues for an initial term of three (3) years (the
"Initial Term").

3.2 Automatic Renewal. On the expiry of the Initial Term, this Agreement shall renew
automatically for successive periods of one (1) year each (each a "Renewal Term" and,
together with the Initial Term, the "Term"), unless either Party gives the other Party
written notice of non-renewal at least thirty (30) days before the expiry of the Initial
Term or the then-current Renewal Term.

3.3 Statements of Work. Each Statement of Work shall remain in effect for the term stated in
it. The expiry or termination of this Agreement shall not terminate any Statement of Work
then in effect, and this Agreement shall continue to govern each such Statement of Work
until its completion, expiry or termination, unless the notice of termination expressly
states otherwise.

ARTICLE 4 FEES, INVOICING AND PAYMENT

4.1 Fees. In consideration of the performance of the Services, Customer shall pay Provider
the Fees set out in Schedule 2 and in the applicable Statement of Work. The Fees are fixed
for the Initial Term and may be adjusted thereafter only as permitted by Section 4.7. The
Fees include all costs of performing the Services except expenses reimbursable under
Section 4.2.

4.2 Expenses. Customer shall reimburse Provider for reasonable travel and out-of-pocket
expenses actually incurred in performing the Services, provided that the expenses are
approved in advance in writing by Customer, comply with Customer's travel and expense policy
as provided to Provider, and are invoiced at cost without mark-up and with supporting
receipts.

4.3 Invoicing. Provider shall invoice Customer monthly in arrears for the Services performed
in the preceding calendar month. Each invoice shall reference this Agreement and the
applicable Statement of Work and purchase order number, itemize the Fees and expenses
charged, show any Service Credits applied, and be submitted electronically to Customer's
accounts payable department.

4.4 Payment Terms. Customer shall pay all undisputed amounts within forty-five (45) days
after receipt of a correct invoice, by electronic funds transfer to the bank account
designated by Provider in writing. Payment of an invoice does not constitute acceptance of
the Services or Deliverables invoiced or a waiver of any right of Customer.

4.5 Disputed Amounts. Customer may withhold payment of any amount that it disputes in good
faith, provided that Customer notifies Provider in writing of the disputed amount and the
reasons for the dispute within thirty (30) days after receipt of the invoice and pays all
undisputed amounts when due. The Parties shall seek to resolve the dispute under the
escalation procedure in Section 15.2. Provider shall not suspend or withhold the Services
while a dispute is pending.

4.6 Late Payment. Undisputed amounts that remain unpaid fifteen (15) days after written
notice of non-payment from Provider shall bear interest from the original due date at the
lesser of one percent (1%) per month and the highest rate permitted by Applicable Law.

4.7 Fee Adjustments. After the Initial Term, Provider may increase the Fees not more than
once in each Renewal Term by written notice given at least ninety (90) days before the start
of that Renewal Term. No increase shall exceed the lesser of three percent (3%) and the
percentage increase in the Consumer Price Index for All Urban Consumers (CPI-U) published by
the U.S. Bureau of Labor Statistics over the preceding twelve (12) months.

4.8 Prepaid Fees. If this Agreement or a Statement of Work is terminated by Customer under
Section 14.1 or Section 14.2, Provider shall refund to Customer all Fees paid in advance for
Services not performed as at the effective date of termination, in the manner and within the
time set out in Section 14.7.

4.9 Taxes. The Fees exclude sales, use, value-added and similar taxes. Customer shall pay any
such taxes that are properly invoiced by Provider in accordance with Applicable Law, other
than taxes based on Provider's net income, property, franchise or employees, which shall be
Provider's sole responsibility. If Applicable Law requires Customer to withhold any tax from
a payment, Customer may do so and shall provide Provider with evidence of the withholding.

ARTICLE 5 SERVICE LEVELS AND ACCEPTANCE

5.1 Service Levels. Provider shall perform the Services so as to meet or exceed the Service
Levels. Provider shall measure its performance against each Service Level and deliver to
Customer, within ten (10) Business Days after the end of each calendar month, a written report
of its performance in that month, including the root cause of, and the corrective action
taken for, each failure to meet a Service Level.

5.2 Service Credits. If Provider fails to meet a Service Level, Provider shall credit Customer
with the service credits set out in Schedule 2 (the "Service Credits"). The Service Credits
in any calendar month shall not exceed fifteen percent (15%) of the Fees payable for that
month. The Parties agree that the Service Credits are a price adjustment reflecting the
reduced value of the Services and not a penalty, and that the Service Credits are without
prejudice to any other right or remedy of Customer.

5.3 Chronic Failure. If Provider fails to meet the same Service Level in any three (3)
calendar months within a rolling period of six (6) calendar months, that failure shall be a
material breach of this Agreement that is not capable of remedy, and Customer may terminate
this Agreement or the affected Statement of Work under Section 14.2(a) without any cure
period.

5.4 Acceptance of Deliverables.

(a) Customer shall have fifteen (15) Business Days after delivery of a Deliverable (the
"Acceptance Period") to test the Deliverable against its Specifications and either accept it
or give Provider written notice describing in reasonable detail each respect in which it
fails to conform.

(b) Provider shall correct each nonconformity described in such a notice and redeliver the
Deliverable within ten (10) Business Days, after which a further Acceptance Period shall
apply.

(c) If a Deliverable fails to conform after its second redelivery, Customer may at its
option:

(i) reject the Deliverable and receive a refund of all Fees paid for it;

(ii) accept the Deliverable subject to an equitable reduction in the Fees agreed in writing
by the Parties; or

(iii) require Provider to continue correcting the Deliverable in accordance with
Section 5.4(b).

(d) A Deliverable is deemed accepted if Customer does not give notice of nonconformity within
the Acceptance Period or uses the Deliverable in a production environment for a period of
more than thirty (30) days, other than for testing or as a temporary workaround.

ARTICLE 6 EXCLUSIVITY, NON-COMPETITION AND NON-SOLICITATION

6.1 Exclusivity. During the Initial Term, Customer shall engage Provider as its sole and
exclusive external provider of managed platform operations services for Customer's retail
e-commerce platforms in the Territory (the "Exclusive Services"). The exclusivity in this
Section 6.1 shall not apply:

(a) to any service that Provider declines, or fails within fifteen (15) Business Days after
Customer's written request to offer, to perform on the terms of this Agreement;

(b) to services performed by Customer's own employees or by the employees of its Affiliates;

(c) following the giving of any notice of termination or non-renewal of this Agreement; or

(d) at any time after Provider has committed a chronic failure described in Section 5.3.

6.2 Non-Competition. During the Term and for twelve (12) months after its expiry or
termination (the "Restricted Period"), Provider shall not, and shall cause its Affiliates
not to, use any Personnel who performed the Services during the preceding twelve (12) months
to provide managed platform operations services substantially similar to the Services to a
Designated Competitor in the Territory. This Section 6.2 does not restrict Provider from
providing services to a Designated Competitor under a written agreement in effect on the
Effective Date and disclosed to Customer before that date.

6.3 Non-Solicitation of Employees. During the Restricted Period, neither Party shall, without
the prior written consent of the other Party, directly or indirectly solicit for employment
or engagement, or employ or engage, any employee of the other Party who was directly
involved in the performance or receipt of the Services during the preceding twelve (12)
months. This Section 6.3 does not prohibit general solicitations of employment not
specifically directed at such employees, or the hiring of any person who responds to them
or whose employment with the other Party ended at least six (6) months earlier. If a Party
breaches this Section 6.3, it shall pay the other Party, as liquidated damages and not as a
penalty, an amount equal to fifty percent (50%) of the annual base salary of the employee
concerned at the time of the breach, which the Parties agree is a reasonable estimate of the
cost of recruiting and training a replacement.

6.4 Reasonableness. Each Party acknowledges that the restrictions in this Article 6 are
reasonable in scope, duration and territory and are necessary to protect the legitimate
business interests of the other Party. If a court of competent jurisdiction determines that
any such restriction is unenforceable, the court may modify the restriction to the minimum
extent necessary to make it enforceable, and the restriction shall be enforced as modified.

ARTICLE 7 INTELLECTUAL PROPERTY

7.1 Pre-Existing IP. As between the Parties, each Party retains all right, title and interest
in and to its Pre-Existing IP. Except as expressly set out in this Article 7, nothing in
this Agreement transfers ownership of, or grants any license under, any Intellectual Property
Rights of either Party.

7.2 Deliverables.

(a) Ownership and assignment. Customer shall own all right, title and interest in and to the
Deliverables and all Intellectual Property Rights in them, upon their creation. Each
Deliverable that is a work of authorship shall be a "work made for hire" for Customer as
defined in the U.S. Copyright Act, 17 U.S.C. section 101. To the extent that any Deliverable
or Intellectual Property Right in it does not vest in Customer as a work made for hire or
otherwise by operation of law, Provider hereby irrevocably assigns, and shall cause its
Personnel to assign, to Customer all right, title and interest in and to it, free of all
liens and encumbrances.

(b) Moral rights. To the extent permitted by Applicable Law, Provider irrevocably waives, and
shall procure that its Personnel irrevocably waive, all moral rights and rights of
attribution or integrity in the Deliverables in favor of Customer and its successors,
assigns and licensees.

(c) Further assurances. Provider shall, at Customer's request and expense, execute all
documents and do all things reasonably necessary to perfect, register or enforce Customer's
rights in the Deliverables. If Provider fails to do so within ten (10) Business Days after
Customer's request, Provider irrevocably appoints Customer as its attorney-in-fact, coupled
with an interest, for the sole purpose of executing those documents in Provider's name.

(d) Exclusion. The Deliverables do not include Provider's Pre-Existing IP, which remains the
property of Provider and is licensed to Customer under Section 7.3.

7.3 License to Pre-Existing IP. To the extent that any Pre-Existing IP of Provider is
incorporated into, or is necessary for the use of, any Deliverable, Provider grants to
Customer and its Affiliates a non-exclusive, non-transferable (except as part of a permitted
assignment of this Agreement under Section 16.1), perpetual, irrevocable, worldwide,
royalty-free and fully paid-up license to use, copy, modify and create derivative works of
that Pre-Existing IP, solely as part of or in connection with the Deliverables and for the
internal business purposes of Customer and its Affiliates. Customer may permit its
contractors to exercise this license solely to provide services to Customer and its
Affiliates.

7.4 Third-Party and Open-Source Components. Provider shall not incorporate into any
Deliverable any third-party software or any software licensed under terms that require, as
a condition of use, modification or distribution, that the software or other software
combined with it be disclosed or distributed in source code form or licensed for the purpose
of making derivative works, without Customer's prior written approval. Provider shall
identify in writing all third-party components included in each Deliverable, together with
the license terms applicable to them.

7.5 Customer Materials. Subject to Article 9, Customer grants to Provider, during the Term, a
limited, non-exclusive, non-transferable, revocable and royalty-free license to use the
Customer Materials solely to the extent necessary to perform the Services for Customer.
Provider shall not use the Customer Materials for any other purpose, including to train,
tune or evaluate any machine learning model or other product of Provider or any third party.

7.6 Reservation of Rights. All rights not expressly granted in this Agreement are reserved.
No license or other right shall be implied, whether by estoppel, course of dealing or
otherwise.

ARTICLE 8 CONFIDENTIALITY

8.1 Confidential Information. "Confidential Information" of a Party includes that Party's
business plans, pricing, customer and supplier information, product roadmaps, technical
information, software, security information and any other information that is marked as
confidential or that a reasonable person would understand to be confidential given the
nature of the information and the circumstances of its disclosure. The Customer Data,
Customer Materials and Deliverables are the Confidential Information of Customer, and the
terms of this Agreement are the Confidential Information of both Parties.

8.2 Obligations. A Party receiving Confidential Information (the "Recipient") from the other
Party (the "Discloser") shall:

(a) use the Confidential Information only to exercise its rights and perform its obligations
under this Agreement;

(b) not disclose the Confidential Information to any person other than those of its
Affiliates, Personnel and professional advisers who need to know it for that purpose and who
are bound by written or professional obligations of confidentiality no less protective than
those in this Article 8; and

(c) protect the Confidential Information using at least the same degree of care as it uses
to protect its own information of a similar nature, and in any event no less than reasonable
care.

The Recipient is responsible for any breach of this Article 8 by any person to whom it
discloses Confidential Information.

8.3 Exclusions. The obligations in Section 8.2 do not apply to information that the
Recipient can demonstrate by written records:

(a) is or becomes generally available to the public other than through a breach of this
Agreement;

(b) was lawfully known to the Recipient before its disclosure by the Discloser, free of any
obligation of confidentiality;

(c) is lawfully received by the Recipient from a third party that is not under an obligation
of confidentiality to the Discloser; or

(d) is independently developed by the Recipient without use of or reference to the
Confidential Information of the Discloser.

The exclusions in this Section 8.3 do not apply to Customer Data.

8.4 Compelled Disclosure. The Recipient may disclose Confidential Information to the extent
required by Applicable Law, a court order or the rules of a securities exchange, provided
that, where legally permitted, the Recipient gives the Discloser prompt written notice of
the requirement, cooperates with the Discloser's efforts to obtain a protective order, and
discloses only the minimum Confidential Information required.

8.5 Return and Destruction. On the Discloser's written request, and in any event on the
expiry or termination of this Agreement, the Recipient shall promptly return or securely
destroy all Confidential Information of the Discloser in its possession or control and
certify in writing that it has done so. The Recipient may retain copies to the extent
required by Applicable Law or held in routine backup systems, provided that those copies
remain subject to this Article 8 for as long as they are retained.

8.6 Duration. The obligations in this Article 8 continue during the Term and for five (5)
years after its expiry or termination, except that they continue for as long as the
information remains a trade secret under Applicable Law in the case of trade secrets, and
indefinitely in the case of Customer Data.

8.7 Equitable Relief. Each Party acknowledges that a breach of this Article 8 may cause the
other Party irreparable harm for which damages would not be an adequate remedy. The
Discloser shall be entitled to seek injunctive relief and specific performance for any
actual or threatened breach of this Article 8, without the need to post a bond, in addition
to any other remedy available to it.

ARTICLE 9 DATA PROTECTION AND SECURITY

9.1 Customer Data. As between the Parties, Customer owns all Customer Data. Provider shall
process Customer Data only on Customer's documented instructions and only as necessary to
perform the Services, and shall comply with all Applicable Law relating to privacy and data
protection, including the data protection addendum attached to any Statement of Work that
involves the processing of personal information.

9.2 Security Program. Provider shall:

(a) maintain a written information security program containing administrative, technical
and physical safeguards that are no less rigorous than accepted industry practice and
that are designed to protect Customer Data against unauthorized access, use, alteration,
disclosure and destruction;

(b) obtain, at its own expense and at least once in each Contract Year, a SOC 2 Type II
report from an independent auditor covering the systems used to provide the Services, and
provide a copy of each report to Customer on request; and

(c) encrypt all Customer Data in transit over public networks and at rest, using encryption
of a strength no weaker than the then-current industry standard.

9.3 Security Incidents. Provider shall notify Customer in writing without undue delay, and in
any event within forty-eight (48) hours, after becoming aware of any actual or reasonably
suspected unauthorized access to, or acquisition, use, disclosure or loss of, Customer Data
(a "Security Incident"). Provider shall investigate and remediate each Security Incident,
cooperate fully with Customer, and, to the extent the Security Incident results from a breach
of this Agreement by Provider or its Personnel, bear the reasonable costs of notifying
affected individuals and regulators, of call-center support and of credit monitoring
services offered to affected individuals.

9.4 Data Location. Provider shall not store, process or access Customer Data outside the
United States of America without Customer's prior written consent.

ARTICLE 10 REPRESENTATIONS AND WARRANTIES

10.1 Mutual Warranties. Each Party represents and warrants to the other Party that:

(a) it is duly organized, validly existing and in good standing under the laws of its
jurisdiction of organization;

(b) it has full corporate power and authority to enter into and perform this Agreement, and
this Agreement has been duly authorized, executed and delivered by it; and

(c) its execution and performance of this Agreement do not and will not conflict with any
agreement or obligation by which it is bound.

10.2 Performance Warranty. Provider warrants that the Services will be performed in a
professional and workmanlike manner by appropriately qualified Personnel, consistent with
generally accepted industry standards, and that each Deliverable will conform in all
material respects to its Specifications for a period of ninety (90) days after its Acceptance
(the "Warranty Period").

10.3 Additional Provider Warranties. Provider further warrants that:

(a) the Services and the Deliverables, and Customer's use of them in accordance with this
Agreement, will not infringe, misappropriate or violate the Intellectual Property Rights of
any third party;

(b) no Deliverable will contain any virus, malware, time bomb, back door or other code
designed to disrupt, disable, harm or provide unauthorized access to any system or data; and

(c) all Personnel performing Services in the United States are legally authorized to work in
the United States.

10.4 Warranty Remedies. If Provider breaches the warranty in Section 10.2, Provider shall, at
its own cost and within ten (10) Business Days after Customer's written notice, re-perform
the nonconforming Services or correct the nonconforming Deliverable. If Provider fails to do
so, Customer may obtain a refund of the Fees paid for the nonconforming Services or
Deliverable. These remedies are without prejudice to any other right or remedy of Customer,
subject to Article 12.

10.5 Disclaimer. EXCEPT AS EXPRESSLY SET OUT IN THIS AGREEMENT, NEITHER PARTY MAKES ANY OTHER
WARRANTY OR REPRESENTATION, WHETHER EXPRESS, IMPLIED OR STATUTORY, AND EACH PARTY
SPECIFICALLY DISCLAIMS ALL IMPLIED WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE, TITLE AND NON-INFRINGEMENT, AND ANY WARRANTIES ARISING FROM COURSE OF DEALING OR
USAGE OF TRADE.

ARTICLE 11 INDEMNIFICATION

11.1 Indemnification by Provider. Provider shall defend, indemnify and hold harmless
Customer, its Affiliates and their respective directors, officers, employees and agents (the
"Customer Indemnitees") from and against all Losses arising out of any claim, suit or
proceeding brought by a third party (a "Claim") to the extent arising from:

(a) any allegation that the Services or Deliverables, or their use by Customer in accordance
with this Agreement, infringe, misappropriate or violate any Intellectual Property Right of a
third party;

(b) bodily injury, death or damage to real or tangible personal property caused by the
negligent acts or omissions of Provider or its Personnel;

(c) any breach by Provider of Article 8 or Article 9, including any Security Incident;

(d) any violation of Applicable Law by Provider or its Personnel; or

(e) any claim by Provider's Personnel for wages, benefits or other compensation, or that any
of them is an employee of Customer.

11.2 Indemnification by Customer. Customer shall defend, indemnify and hold harmless Provider,
its Affiliates and their respective directors, officers, employees and agents from and
against all Losses arising out of any Claim to the extent arising from (a) any allegation
that the Customer Materials, when used by Provider in accordance with this Agreement,
infringe or misappropriate any Intellectual Property Right of a third party, or (b) any
violation of Applicable Law by Customer.

11.3 Exclusions. Provider shall have no obligation under Section 11.1(a) to the extent that a
Claim arises from (a) a modification of a Deliverable made by anyone other than Provider or
its Personnel, (b) the combination of a Deliverable with any product or material not
supplied, specified or reasonably contemplated by Provider, where the Claim would not have
arisen but for the combination, or (c) Provider's compliance with detailed written
specifications provided by Customer that necessarily resulted in the infringement.

11.4 Procedure. The Party seeking indemnification shall (a) give the indemnifying Party
prompt written notice of the Claim, provided that any delay in giving notice shall relieve
the indemnifying Party of its obligations only to the extent that it is materially
prejudiced by the delay, (b) give the indemnifying Party sole control of the defense and
settlement of the Claim, and (c) provide reasonable cooperation at the indemnifying Party's
expense. The indemnifying Party shall not settle any Claim in a manner that imposes any
obligation on, or admits any fault of, an indemnified party without that party's prior
written consent. The indemnified party may participate in the defense with counsel of its
own choosing at its own expense.

11.5 Infringement Remedies. If a Deliverable becomes, or in Provider's reasonable opinion is
likely to become, the subject of a Claim described in Section 11.1(a), Provider shall at its
option and expense either (a) procure for Customer the right to continue using the
Deliverable, or (b) modify or replace the Deliverable so that it is non-infringing without
material loss of functionality. If neither option is commercially reasonable, Provider may
require Customer to cease using the affected Deliverable and shall refund the Fees paid for
it, without prejudice to Provider's obligations under Section 11.1.

ARTICLE 12 LIMITATION OF LIABILITY

12.1 Exclusion of Certain Damages. EXCEPT AS PROVIDED IN SECTION 12.3, IN NO EVENT SHALL
EITHER PARTY BE LIABLE TO THE OTHER PARTY FOR ANY INDIRECT, INCIDENTAL, CONSEQUENTIAL, SPECIAL,
EXEMPLARY OR PUNITIVE DAMAGES, OR FOR ANY LOSS OF PROFITS, REVENUE, GOODWILL OR ANTICIPATED
SAVINGS, ARISING OUT OF OR RELATING TO THIS AGREEMENT, HOWEVER CAUSED AND UNDER ANY THEORY OF
LIABILITY, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGES.

12.2 Cap on Liability. EXCEPT AS PROVIDED IN SECTION 12.3, EACH PARTY'S TOTAL AGGREGATE
LIABILITY ARISING OUT OF OR RELATING TO THIS AGREEMENT, WHETHER IN CONTRACT, TORT (INCLUDING
NEGLIGENCE), STRICT LIABILITY OR OTHERWISE, SHALL NOT EXCEED THE TOTAL FEES PAID BY CUSTOMER
TO PROVIDER UNDER THIS AGREEMENT DURING THE TWELVE (12) MONTHS IMMEDIATELY PRECEDING THE EVENT
GIVING RISE TO THE CLAIM.

12.3 Exceptions. The exclusions and limitations in Section 12.1 and Section 12.2 shall not
apply to, and no amount paid in respect of the following shall count towards the cap in
Section 12.2:

(a) a Party's breach of its obligations under Article 8 (Confidentiality) or, in the case of
Provider, Article 9 (Data Protection and Security);

(b) a Party's obligations to defend and indemnify under Article 11;

(c) Losses arising from a Party's gross negligence, willful misconduct or fraud;

(d) bodily injury or death caused by a Party's negligence; or

(e) Customer's obligation to pay undisputed Fees properly due under this Agreement.

12.4 Service Credits. Service Credits shall not count towards the cap in Section 12.2, and
the payment of Service Credits shall not limit Customer's right to recover damages for the
same failure, provided that any damages recovered shall be reduced by the amount of the
Service Credits paid or credited for that failure.

12.5 Basis of the Bargain. The Parties acknowledge that the Fees reflect the allocation of
risk set out in this Article 12, and that neither Party would have entered into this
Agreement without these limitations on its liability.

ARTICLE 13 INSURANCE, RECORDS AND AUDIT

13.1 Insurance. During the Term and for two (2) years thereafter, Provider shall maintain, at
its own expense and with insurers rated A- VII or better by A.M. Best, the following
insurance coverage:

(a) commercial general liability insurance with limits of not less than $2,000,000 per
occurrence and $4,000,000 in the aggregate;

(b) workers' compensation insurance as required by Applicable Law, and employer's liability
insurance with limits of not less than $1,000,000 per accident;

(c) professional liability (errors and omissions) insurance with limits of not less than
$5,000,000 per claim and in the aggregate;

(d) cyber liability and network security insurance, covering among other things Security
Incidents and the costs of notification, with limits of not less than $10,000,000 per claim
and in the aggregate; and

(e) umbrella or excess liability insurance with limits of not less than $5,000,000.

13.2 Certificates. Provider shall deliver to Customer certificates of insurance evidencing the
coverage required by Section 13.1 within ten (10) Business Days after the Effective Date and
on each renewal of that coverage. The insurance described in Section 13.1(a) and Section
13.1(e) shall name Customer and its Affiliates as additional insureds. Provider shall give
Customer at least thirty (30) days' prior written notice of any cancellation or material
reduction of the required coverage. The insurance required by this Article 13 shall not limit
Provider's liability under this Agreement.

13.3 Records. Provider shall maintain complete and accurate books and records relating to
the Services, the Fees and expenses charged, and Provider's compliance with this Agreement,
during the Term and for three (3) years thereafter.

13.4 Audit Rights. Customer, or an independent auditor appointed by Customer that is not a
competitor of Provider and is bound by obligations of confidentiality, may audit the records
described in Section 13.3 and Provider's compliance with Article 9, on at least fifteen (15)
Business Days' prior written notice, during normal business hours and not more than once in
any Contract Year, except that Customer may conduct an additional audit following a Security
Incident or where a prior audit has revealed a material discrepancy. If an audit reveals that
Provider has overcharged Customer, Provider shall refund the overcharge within thirty (30)
days; if the overcharge exceeds five percent (5%) of the amounts properly payable for the
audited period, Provider shall also reimburse Customer for the reasonable costs of the audit.

ARTICLE 14 TERMINATION

14.1 Termination for Convenience. Customer may terminate this Agreement or any Statement of
Work, in whole or in part, for any reason or no reason, at any time on not less than ninety
(90) days' prior written notice to Provider. Customer shall not be liable for any
termination fee, penalty or other charge as a result of such termination, other than payment
of the Fees for Services properly performed up to the effective date of termination.
Provider shall have no right to terminate this Agreement or any Statement of Work for
convenience.

14.2 Termination for Cause. Either Party may terminate this Agreement or the affected
Statement of Work with immediate effect by written notice to the other Party if:

(a) the other Party commits a material breach of this Agreement or of a Statement of Work
and, if the breach is capable of remedy, fails to remedy it within thirty (30) days after
receiving written notice describing the breach in reasonable detail; or

(b) the other Party:

(i) becomes insolvent or admits in writing its inability to pay its debts as they become
due;

(ii) makes a general assignment for the benefit of its creditors;

(iii) becomes the subject of any voluntary or involuntary proceeding under any bankruptcy or
insolvency law, which, if involuntary, is not dismissed within sixty (60) days; or

(iv) has a receiver, trustee or similar officer appointed over all or a substantial part of
its assets.

14.3 Termination for Non-Payment. Notwithstanding Section 14.2(a), Provider may terminate
this Agreement for Customer's failure to pay only if undisputed Fees exceeding the aggregate
monthly Fees for two (2) months remain unpaid for more than forty-five (45) days after
Customer receives a second written notice of non-payment that refers expressly to this
Section 14.3.

14.4 Effect of Termination. On the expiry or termination of this Agreement or a Statement of
Work for any reason:

(a) Customer shall pay Provider the undisputed Fees for Services properly performed up to the
effective date of termination, less any Service Credits and other amounts owed by Provider;

(b) each Party shall return or destroy the other Party's Confidential Information in
accordance with Section 8.5; and

(c) Provider shall promptly deliver to Customer all Deliverables, whether complete or in
progress, and all Customer Data in the format reasonably requested by Customer.

14.5 Transition Assistance. For up to six (6) months after the expiry or termination of this
Agreement for any reason, Provider shall, at Customer's request, continue to provide the
Services and provide such assistance as Customer reasonably requires to transfer the
Services in an orderly manner to Customer or to a replacement provider. Transition assistance
shall be charged at the rates set out in Schedule 2, except that transition assistance
following termination by Customer under Section 14.2 shall be provided without charge.

14.6 Survival. Article 1, Article 7 (other than Section 7.5), Article 8, Article 11, Article
12, Article 15 and Article 16, Sections 4.9, 6.2, 6.3, 9.3, 13.3, 13.4, 14.4 and 14.5, and
any other provision that by its nature is intended to survive, shall survive the expiry or
termination of this Agreement.

ARTICLE 15 GOVERNING LAW AND DISPUTE RESOLUTION

15.1 Governing Law. This Agreement, and all claims and disputes arising out of or relating to
it, shall be governed by and construed in accordance with the laws of the State of New York,
without giving effect to any choice-of-law or conflict-of-laws rule that would cause the laws
of any other jurisdiction to apply, and the Parties rely on Sections 5-1401 and 5-1402 of the
New York General Obligations Law. The United Nations Convention on Contracts for the
International Sale of Goods does not apply to this Agreement.

15.2 Escalation. Before commencing any proceeding, other than for injunctive relief, a Party
shall give the other Party written notice of the dispute. The relationship managers of the
Parties shall meet within ten (10) Business Days after the notice to seek to resolve the
dispute in good faith. If they fail to do so within a further ten (10) Business Days, the
dispute shall be referred to a senior executive of each Party with authority to settle it.
If the dispute is not resolved within thirty (30) days after the original notice, either
Party may proceed in accordance with Section 15.3.

15.3 Jurisdiction and Venue. Each Party irrevocably submits to the exclusive jurisdiction of
the state and federal courts located in the Borough of Manhattan, New York County, New York,
for any action arising out of or relating to this Agreement, and waives any objection to
venue in those courts, including any objection based on inconvenient forum. Each Party
consents to service of process in any such action by the means specified for notices in
Section 16.2, in addition to any other means permitted by Applicable Law.

15.4 Waiver of Jury Trial. EACH PARTY HEREBY IRREVOCABLY WAIVES, TO THE FULLEST EXTENT
PERMITTED BY APPLICABLE LAW, ANY RIGHT IT MAY HAVE TO A TRIAL BY JURY IN ANY ACTION OR
PROCEEDING ARISING OUT OF OR RELATING TO THIS AGREEMENT.

15.5 Continued Performance. Except where this Agreement has been terminated in accordance with
its terms, each Party shall continue to perform its obligations under this Agreement while a
dispute is being resolved under this Article 15.

ARTICLE 16 GENERAL PROVISIONS

16.1 Assignment. Neither Party may assign, delegate or otherwise transfer this Agreement or
any of its rights or obligations under it, whether voluntarily, by operation of law or
otherwise, without the prior written consent of the other Party, which shall not be
unreasonably withheld, conditioned or delayed, except that either Party may assign this
Agreement in its entirety without such consent:

(a) to an Affiliate, provided that the assignee has the financial and operational capacity to
perform the assigning Party's obligations and the assigning Party remains jointly and
severally liable for those obligations; or

(b) to a successor in connection with a Change of Control of the assigning Party, provided
that the successor agrees in writing to be bound by this Agreement and, in the case of an
assignment by Provider, the successor is not a Designated Competitor or an Affiliate of one.

A Party shall give the other Party written notice of any assignment under this Section 16.1
within ten (10) Business Days after it takes effect. Any purported assignment in violation of
this Section 16.1 is void. This Agreement binds and benefits the Parties and their
respective permitted successors and assigns.

16.2 Notices. All notices under this Agreement shall be in writing and shall be delivered by
hand, by nationally recognized overnight courier, by certified mail (return receipt
requested) or by email, to the addresses below or to such other address as a Party
designates by notice to the other:

| If to Provider:
| Halloran Pike Digital Services, Inc.
| 1450 Lantern Wharf Road, Suite 600
| Stamford, Connecticut 06901
| Attention: General Counsel
| Email: legal.notices@halloranpike.example

| If to Customer:
| Wexcombe Provisions Corporation
| 88 Corliss Exchange Place, 21st Floor
| New York, New York 10004
| Attention: Chief Legal Officer
| Email: contracts@wexcombe.example

A notice is effective (a) if delivered by hand, on delivery, (b) if sent by overnight courier,
on the next Business Day after dispatch, (c) if sent by certified mail, on the third (3rd)
Business Day after mailing, and (d) if sent by email, when sent, provided that the sender
does not receive an automated message indicating non-delivery and that any notice of breach,
termination or non-renewal sent by email is also sent by one of the other methods in this
Section 16.2 within two (2) Business Days.

16.3 Force Majeure. Neither Party shall be liable for any failure or delay in performing its
obligations under this Agreement, other than obligations to pay money, to the extent caused
by an event beyond its reasonable control, including acts of God, flood, fire, earthquake,
epidemic, war, terrorism, civil unrest, acts of government, or failure of public utilities
or telecommunications networks (a "Force Majeure Event"), provided that the affected Party
(a) notifies the other Party promptly of the Force Majeure Event and its expected duration,
(b) uses commercially reasonable efforts to mitigate its effects, and (c) resumes
performance as soon as practicable. A Force Majeure Event does not excuse Provider from
implementing its business continuity and disaster recovery plans, and strikes or labor
disputes involving Provider's own Personnel are not Force Majeure Events. If a Force Majeure
Event prevents Provider from performing any material part of the Services for more than
thirty (30) consecutive days, Customer may terminate the affected Statement of Work, or this
Agreement, by written notice without liability.

16.4 Independent Contractors. The Parties are independent contractors. Nothing in this
Agreement creates a partnership, joint venture, agency, fiduciary or employment relationship
between the Parties, and neither Party has authority to bind the other.

16.5 Entire Agreement. This Agreement, together with its Schedules and all Statements of Work,
constitutes the entire agreement between the Parties relating to its subject matter and
supersedes all prior and contemporaneous agreements, proposals, negotiations and
understandings, whether written or oral, relating to that subject matter. No terms contained
in any purchase order, invoice, acknowledgment or online terms of Provider shall apply, even
if accepted or signed by Customer.

16.6 Amendment and Waiver. No amendment to this Agreement is effective unless it is in
writing, refers to this Agreement and is signed by authorized representatives of both
Parties. No failure or delay in exercising any right operates as a waiver of it, and no
waiver is effective unless it is in writing and signed by the waiving Party.

16.7 Severability. If any provision of this Agreement is held invalid or unenforceable, that
provision shall be enforced to the maximum extent permissible and the remaining provisions
shall continue in full force and effect.

16.8 Order of Precedence. In the event of any conflict or inconsistency, the following order
of precedence applies: (a) the body of this Agreement; (b) the Schedules; (c) the Statements
of Work; and (d) any other document incorporated by reference; except that a provision of a
Statement of Work prevails over this Agreement where the Statement of Work expressly
identifies the Section of this Agreement that it is intended to override and is signed by an
officer of each Party.

16.9 No Third-Party Beneficiaries. Except for the Customer Indemnitees and the other
indemnified persons described in Article 11, nothing in this Agreement confers any right or
remedy on any person other than the Parties and their permitted successors and assigns.

16.10 Publicity. Provider shall not use Customer's name, logos or trademarks, or disclose
that Customer is a customer of Provider, in any publicity, advertising, customer list or
other public statement without Customer's prior written consent.

16.11 Counterparts and Electronic Signatures. This Agreement may be executed in counterparts,
each of which is an original and all of which together constitute one instrument. Signatures
delivered by electronic means, including PDF and any electronic signature complying with the
U.S. federal ESIGN Act of 2000, are deemed original signatures for all purposes.
"""

WITNESS = (
    "IN WITNESS WHEREOF, the Parties have caused this Agreement to be executed by their duly "
    "authorized representatives as of the Effective Date."
)

# (role, legal name, signatory name, signatory title)
SIGNATORIES: list[tuple[str, str, str, str]] = [
    ("PROVIDER", PROVIDER.upper(), "Margaret A. Lindqvist", "Chief Operating Officer"),
    ("CUSTOMER", CUSTOMER.upper(), "Theodore R. Asante", "Senior Vice President, Procurement"),
]

SCHEDULE_1 = """
This Schedule 1 describes the Services to be performed by Provider under the Agreement, the
Service Levels that apply to them and the Designated Competitors for the purposes of Section
6.2. Capitalized terms used in this Schedule 1 have the meanings given in the Agreement.

PART A DESCRIPTION OF SERVICES

1. Managed Platform Operations. Provider shall operate, monitor and support Customer's
wholesale ordering portal and its consumer e-commerce storefronts (together, the
"Platforms"), including:

(a) monitoring of the availability and performance of the Platforms twenty-four (24) hours a
day, seven (7) days a week;

(b) Tier 1 and Tier 2 incident management, including logging, triage, diagnosis, resolution
and root-cause analysis of incidents;

(c) routine maintenance, including the application of security patches within the periods
required by Customer's vulnerability management standard; and

(d) capacity planning and performance tuning ahead of Customer's seasonal peak periods.

2. Application Maintenance and Minor Enhancements. Provider shall correct defects in the
custom software components of the Platforms and shall perform minor enhancements requested
by Customer, each requiring no more than forty (40) hours of effort, within the monthly
allocation of hours set out in the applicable Statement of Work.

3. Data Migration. Provider shall migrate product, pricing, customer and order data from
Customer's legacy order management system to the Platforms in one or more migration waves,
each as described in a Statement of Work, including data mapping, cleansing, trial
migrations, reconciliation reports and post-migration support for ten (10) Business Days.

4. Professional Services. Provider shall provide architecture, engineering and quality
assurance Personnel on a time-and-materials basis as requested by Customer in a Statement of
Work.

5. Training. Provider shall provide training sessions for Customer's personnel on the
operation of the Platforms and on the Deliverables, at such times and locations as the
Parties agree.

PART B SERVICE LEVELS

6. Availability. Each Platform shall be available to end users at least 99.9% of the time in
each calendar month, excluding scheduled maintenance notified to Customer at least five (5)
Business Days in advance and performed between 1:00 a.m. and 5:00 a.m. Eastern Time.

7. Incident Response. Provider shall respond to incidents within the following times after
they are logged or detected, whichever is earlier:

(a) Severity 1 (a Platform is unavailable or order processing is materially impaired):
response within fifteen (15) minutes and resolution or an acceptable workaround within four
(4) hours;

(b) Severity 2 (a major function is impaired but a workaround exists): response within one
(1) hour and resolution within one (1) Business Day; and

(c) Severity 3 (all other incidents): response within one (1) Business Day and resolution
within ten (10) Business Days.

8. Reporting. Provider shall report its performance against the Service Levels as required by
Section 5.1.

PART C DESIGNATED COMPETITORS

9. Designated Competitors. As at the Effective Date, the Designated Competitors are Calloway
Larder Group, Inc., Brightmere Pantry Holdings LLC and Ostrander Fine Foods Corporation,
together with their respective Affiliates.
"""

SCHEDULE_2_INTRO = """
This Schedule 2 sets out the Fees for the Services and the Service Credits referred to in
Section 5.2. All amounts are in United States dollars and exclude applicable taxes, which are
payable in accordance with Section 4.9.

1. Fee Table. Customer shall pay the following Fees, invoiced in accordance with Section 4.3:
"""

FEE_TABLE: list[tuple[str, str, str]] = [
    ("Managed Platform Operations (Tier 1 and Tier 2 support)", "per month", "$48,500.00"),
    ("Application Maintenance and Minor Enhancements", "per month", "$21,750.00"),
    ("Senior Solutions Architect", "per hour", "$285.00"),
    ("Software Engineer", "per hour", "$210.00"),
    ("Quality Assurance Analyst", "per hour", "$165.00"),
    ("Data Migration", "per migration wave (fixed fee)", "$36,000.00"),
    ("After-Hours Emergency Support", "per hour", "$325.00"),
    ("Onsite Training Session (up to 12 attendees)", "per day", "$2,400.00"),
]

SCHEDULE_2_REST = """
2. Time and Materials. Hourly rates apply to Services performed on a time-and-materials basis
and are charged in increments of one quarter (0.25) of an hour. Work performed outside the
hours of 8:00 a.m. to 6:00 p.m. Eastern Time on a Business Day is chargeable at the hourly
rates above only if requested or approved in writing by Customer, and no overtime premium
applies except for After-Hours Emergency Support.

3. Service Credits. If the availability of a Platform in a calendar month falls below the
Service Level in Part B of Schedule 1, Customer shall receive a Service Credit equal to the
following percentage of the monthly Fee for Managed Platform Operations for that month:

(a) availability of less than 99.9% but at least 99.5%: five percent (5%);

(b) availability of less than 99.5% but at least 99.0%: ten percent (10%); and

(c) availability of less than 99.0%: fifteen percent (15%).

4. Cap. The Service Credits are subject to the monthly cap in Section 5.2 and shall be shown
as a deduction on the invoice for the month following the month in which they accrued.
"""


# --------------------------------------------------------------------------------------
# HTML building
# --------------------------------------------------------------------------------------

# The Base-14 Times clones (Nimbus Roman) that ship inside PyMuPDF, so the layout does not
# depend on the fonts installed on the machine.
_FONT_FACES = (
    ("tiro", "normal", "normal"),
    ("tibo", "bold", "normal"),
    ("tiit", "normal", "italic"),
    ("tibi", "bold", "italic"),
)


def _font_archive() -> tuple[pymupdf.Archive, str]:
    """An archive holding the serif font files and the matching ``@font-face`` CSS."""
    archive = pymupdf.Archive()
    faces: list[str] = []
    for code, weight, style in _FONT_FACES:
        archive.add(pymupdf.Font(code).buffer, f"{code}.cff")
        faces.append(
            f"@font-face {{ font-family: ContractSerif; src: url({code}.cff); "
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return archive, "\n".join(faces) + "\n"


CSS = """
body { margin: 0; font-family: ContractSerif, serif; font-size: 11pt; line-height: 1.16;
       text-align: justify; color: black; }
p { margin: 0 0 6pt 0; }
span { vertical-align: baseline; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 4pt 0; letter-spacing: 1pt; }
p.subtitle { text-align: center; font-size: 10pt; margin: 0 0 16pt 0; }
h2 { font-size: 11pt; text-align: center; margin: 14pt 0 8pt 0; font-weight: bold; }
h3 { font-size: 11pt; text-align: center; margin: 12pt 0 8pt 0; font-weight: bold; }
h2.schedule { margin-top: 0; font-size: 12pt; }
p.def { margin-left: 27pt; }
p.block { margin-left: 60pt; text-align: left; }
p.witness { margin-top: 18pt; margin-bottom: 18pt; }
p.follows { text-align: center; margin-top: 12pt; }
.pb { page-break-before: always; margin-top: 0; }
table.fees { border-collapse: collapse; width: 100%; margin: 4pt 0 12pt 0; }
table.fees td, table.fees th { border: 0.75pt solid black; padding: 4pt 6pt;
                               text-align: left; }
table.fees td.num, table.fees th.num { text-align: right; }
p.sig { text-align: left; margin: 0 0 5pt 0; }
p.party { text-align: left; margin: 18pt 0 3pt 0; }
"""

HEADER_CSS = """
body { margin: 0; font-family: ContractSerif, serif; font-size: 9pt; color: black; }
p { margin: 0; }
p.header { border-bottom: 0.5pt solid black; padding-bottom: 2pt; text-align: left; }
p.footer { text-align: center; }
"""

_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
_SECTION_RE = re.compile(r"^(\d+)\.(\d+)\s+([^.]+\.)\s*(.*)$", re.S)
_ARTICLE_RE = re.compile(r"^ARTICLE (\d+) (.+)$")
_PART_RE = re.compile(r"^PART ([A-Z]) (.+)$")
_NUMBERED_RE = re.compile(r"^(\d+)\.\s+([^.]+\.)\s*(.*)$", re.S)
_CLAUSE_RE = re.compile(r"^\(([a-z]+)\)\s+(.*)$", re.S)
_DEF_RE = re.compile(r'^("[^"]+"(?: or "[^"]+")?)(.*)$', re.S)


def smart_quotes(text: str) -> str:
    """Straight quotes turned into typographic ones (also the Word sample's text)."""
    out: list[str] = []
    prev = " "
    for ch in text:
        if ch == '"':
            out.append("“" if prev in " ([—\n" else "”")
        elif ch == "'":
            out.append("’")
        else:
            out.append(ch)
        prev = ch
    return "".join(out)


def _smart(text: str) -> str:
    """HTML-escape ``text`` and turn straight quotes into typographic ones."""
    escaped = html.escape(smart_quotes(text), quote=False)
    # MuPDF's HTML layout always forms the f-ligatures (ff, fi, fl, ffi, ffl), which
    # text extraction then reports as U+FB00..U+FB04 ("Eﬀective").  A style-run boundary
    # after each such "f" keeps the glyphs (and the extracted text) plain.
    escaped = re.sub(r"f(?=[fil])", "<span>f</span>", escaped)
    # Quoted capitalised terms (definitions, "(the "Provider")") are bold.
    return re.sub(r"“([A-Z][^”]*)”", r"“<b>\1</b>”", escaped)


_LABEL_FONT = pymupdf.Font("tiro")
_NBSP_WIDTH = _LABEL_FONT.text_length("\xa0", fontsize=11)


def _hanging(label: str, body: str, label_at: float, text_at: float, css_class: str = "") -> str:
    """A paragraph whose ``label`` hangs at ``label_at`` pt and whose text lines all start at
    ``text_at`` pt (MuPDF has no tab stops: the gap is made of no-break spaces, and the
    negative first-line indent matches the label's measured width exactly)."""
    label_width = _LABEL_FONT.text_length(label, fontsize=11)
    spaces = max(1, round((text_at - label_at - label_width) / _NBSP_WIDTH))
    indent = label_width + spaces * _NBSP_WIDTH
    style = f"margin-left: {text_at:.2f}pt; text-indent: -{indent:.2f}pt"
    cls = f' class="{css_class}"' if css_class else ""
    return f'<p{cls} style="{style}">{html.escape(label)}{"&#160;" * spaces}{body}</p>'


def _paragraphs(markup: str) -> Iterator[str]:
    """Split the markup into paragraphs (blank-line separated; ``|`` lines kept)."""
    for chunk in re.split(r"\n\s*\n", markup.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if lines and lines[0].startswith("| "):
            yield "\n".join(lines)
        else:
            yield " ".join(lines)


def _markup_html(markup: str, breaks: frozenset[str] = frozenset()) -> str:
    """Render the line-oriented contract markup (see the comment above ``BODY``) as HTML.

    ``breaks`` names headings ("ARTICLE 4", "PART B", "7.2") that must start a new page.
    """
    parts: list[str] = []
    last_letter = ""
    for para in _paragraphs(markup):
        if para.startswith("| "):
            lines = [_smart(line[2:]) for line in para.splitlines()]
            parts.append(f'<p class="block">{"<br/>".join(lines)}</p>')
            continue
        if m := _ARTICLE_RE.match(para):
            pb = ' class="pb"' if f"ARTICLE {m[1]}" in breaks else ""
            parts.append(f"<h2{pb}>ARTICLE {m[1]}<br/>{_smart(m[2])}</h2>")
            continue
        if m := _PART_RE.match(para):
            pb = ' class="pb"' if f"PART {m[1]}" in breaks else ""
            parts.append(f"<h3{pb}>PART {m[1]}<br/>{_smart(m[2])}</h3>")
            continue
        if m := _SECTION_RE.match(para):
            last_letter = ""
            num, caption, text = f"{m[1]}.{m[2]}", m[3], m[4]
            pb = ' class="pb"' if num in breaks else ""
            parts.append(
                f"<p{pb}><b>{num}</b>&#160;&#160;&#160;<b>{_smart(caption)}</b> {_smart(text)}</p>"
            )
            continue
        if m := _NUMBERED_RE.match(para):
            last_letter = ""
            parts.append(
                f"<p><b>{m[1]}.</b>&#160;&#160;&#160;<b>{_smart(m[2])}</b> {_smart(m[3])}</p>"
            )
            continue
        if m := _CLAUSE_RE.match(para):
            label, text = m[1], m[2]
            is_roman = label in _ROMAN and not (
                len(label) == 1 and last_letter and ord(label) == ord(last_letter) + 1
            )
            if not is_roman:
                last_letter = label
            label_at, text_at = (54.0, 81.0) if is_roman else (27.0, 54.0)
            parts.append(_hanging(f"({label})", _smart(text), label_at, text_at))
            continue
        if m := _DEF_RE.match(para):
            term = _smart(m[1]).replace("<b>", "").replace("</b>", "")
            parts.append(f'<p class="def"><b>{term}</b>{_smart(m[2])}</p>')
            continue
        parts.append(f"<p>{_smart(para)}</p>")
    return "\n".join(parts)


def _fee_table_html() -> str:
    rows = [
        "<tr><th>Service</th><th>Unit</th><th class='num'>Fee (USD)</th></tr>",
        *(
            f"<tr><td>{_smart(s)}</td><td>{_smart(u)}</td><td class='num'>{f}</td></tr>"
            for s, u, f in FEE_TABLE
        ),
    ]
    return '<table class="fees">' + "".join(rows) + "</table>"


def _signature_html() -> str:
    """Signature blocks, one under the other; signature and date lines left blank."""
    blanks = "_" * 36
    lines: list[str] = []
    for role, legal_name, name, title in SIGNATORIES:
        lines += [
            f'<p class="party"><b>{role}:</b></p>',
            f'<p class="sig"><b>{_smart(legal_name)}</b></p>',
            '<p class="sig">&#160;</p>',
            _hanging("By:", blanks, 0.0, 40.0, "sig"),
            _hanging("Name:", _smart(name), 0.0, 40.0, "sig"),
            _hanging("Title:", _smart(title), 0.0, 40.0, "sig"),
            _hanging("Date:", blanks, 0.0, 40.0, "sig"),
        ]
    return "\n".join(lines)


def contract_html(breaks: frozenset[str] = frozenset()) -> list[str]:
    """The agreement as HTML documents for ``pymupdf.Story``, each starting a new page.

    (Separate stories instead of CSS page breaks: MuPDF 1.28 loops forever when a
    ``page-break-before`` follows a table in the same story.)
    """
    recitals = "\n".join(
        _hanging(f"{letter}.", _smart(text), 18.0, 40.0)
        for letter, text in zip("ABCDEFG", RECITALS, strict=False)
    )
    main = "\n".join(
        [
            "<h1>MASTER SERVICES AGREEMENT</h1>",
            f'<p class="subtitle">{AGREEMENT_NO}</p>',
            f"<p>{_smart(PREAMBLE)}</p>",
            "<h3>RECITALS</h3>",
            recitals,
            f"<p>{_smart(CONSIDERATION)}</p>",
            _markup_html(BODY, breaks),
            *(
                [
                    '<p class="follows"><i>[Remainder of page intentionally left blank. '
                    "Signature page follows.]</i></p>",
                    f'<p class="witness pb">{_smart(WITNESS)}</p>',
                ]
                if "WITNESS" in breaks
                else [f'<p class="witness">{_smart(WITNESS)}</p>']
            ),
            _signature_html(),
        ]
    )
    schedule_1 = (
        '<h2 class="schedule">SCHEDULE 1<br/>SERVICES AND SERVICE LEVELS</h2>\n'
        + _markup_html(SCHEDULE_1, breaks)
    )
    schedule_2 = "\n".join(
        [
            '<h2 class="schedule">SCHEDULE 2<br/>FEES AND SERVICE CREDITS</h2>',
            _markup_html(SCHEDULE_2_INTRO),
            _fee_table_html(),
            _markup_html(SCHEDULE_2_REST),
        ]
    )
    return [main, schedule_1, schedule_2]


# --------------------------------------------------------------------------------------
# Ground truth for the layout stage (benchmarks/layout.py --gold)
# --------------------------------------------------------------------------------------

_REF_NUMBER = r"\d+(?:\.\d+)?(?:\([a-z]+\))?(?![\d-])"  # not "Sections 5-1401" of a statute
_REF_GROUP_RE = re.compile(
    rf"\b(Sections?|Articles?|Schedules?) ((?:{_REF_NUMBER}(?:, | and | or )?)+)"
)


def true_structure() -> dict[str, list[tuple[str, str | None]]]:
    """The agreement's structure as written, in document order.

    ``sections``: (number, title) of every article, numbered section, schedule and part
    (sub-clauses such as ``(a)`` left out); ``definitions``: (term, None); and
    ``cross_references``: (label, number of the section it points to, None when dangling).
    """
    parts = [
        ("", BODY),
        ("Schedule 1|SERVICES AND SERVICE LEVELS", SCHEDULE_1),
        ("Schedule 2|FEES AND SERVICE CREDITS", SCHEDULE_2_INTRO + "\n\n" + SCHEDULE_2_REST),
    ]
    sections: list[tuple[str, str | None]] = []
    definitions: list[tuple[str, str | None]] = []
    texts: list[str] = []
    for heading, markup in parts:
        if heading:
            number, title = heading.split("|")
            sections.append((number, title))
        for para in _paragraphs(markup):
            texts.append(para)
            if m := _ARTICLE_RE.match(para):
                sections.append((m[1], m[2]))
            elif m := _PART_RE.match(para):
                sections.append((f"Part {m[1]}", m[2]))
            elif m := _SECTION_RE.match(para):
                sections.append((f"{m[1]}.{m[2]}", m[3].rstrip(".")))
            elif m := _NUMBERED_RE.match(para):
                sections.append((m[1], m[2].rstrip(".")))
            elif (m := _DEF_RE.match(para)) and re.match(r"\s*means\b", m[2]):
                definitions += [(term, None) for term in re.findall(r'"([^"]+)"', m[1])]
    numbers = {number for number, _ in sections}
    references: list[tuple[str, str | None]] = []
    for group in _REF_GROUP_RE.finditer(" ".join(texts)):
        kind = group[1].rstrip("s")
        for number in re.findall(_REF_NUMBER, group[2]):
            label = f"{kind} {number}"
            target = label if kind == "Schedule" else number
            exists = target in numbers or number.split("(")[0] in numbers
            references.append(
                (label, target if exists and label not in EXPECTED_DANGLING else None)
            )
    return {"sections": sections, "definitions": definitions, "cross_references": references}


# --------------------------------------------------------------------------------------
# Cross-reference check
# --------------------------------------------------------------------------------------

EXPECTED_DANGLING = {"Section 14.7"}


def _check_cross_references() -> None:
    """Fail unless the only unresolved reference in the agreement is the deliberate one."""
    sections: dict[str, set[str]] = {}
    articles: set[str] = set()
    current = ""
    for para in _paragraphs(BODY):
        if m := _ARTICLE_RE.match(para):
            articles.add(m[1])
        elif m := _SECTION_RE.match(para):
            current = f"{m[1]}.{m[2]}"
            sections[current] = set()
            # Inline sub-clauses such as "... Customer shall (a) give ..."
            sections[current].update(re.findall(r"\(([a-z])\) ", m[4]))
        elif (m := _CLAUSE_RE.match(para)) and current:
            sections[current].add(m[1])
    text = " ".join(_paragraphs(BODY + SCHEDULE_1 + SCHEDULE_2_INTRO + SCHEDULE_2_REST))
    dangling: set[str] = set()
    for group in re.finditer(r"\bSections? ((?:\d+\.\d+(?:\([a-z]+\))?(?:, | and | or )?)+)", text):
        for num, clause in re.findall(r"(\d+\.\d+)(?:\(([a-z]+)\))?", group[1]):
            if num not in sections or (clause and clause not in sections[num]):
                dangling.add(f"Section {num}" + (f"({clause})" if clause else ""))
    for num in re.findall(r"\bArticles? (\d+)", text):
        if num not in articles:
            dangling.add(f"Article {num}")
    for num in re.findall(r"\bSchedules? (\d+)", text):
        if num not in {"1", "2"}:
            dangling.add(f"Schedule {num}")
    if dangling != EXPECTED_DANGLING:
        raise SystemExit(f"unexpected cross-reference state: dangling={sorted(dangling)}")


# --------------------------------------------------------------------------------------
# Born-digital PDF
# --------------------------------------------------------------------------------------


def _draw_small(
    dev: pymupdf.DeviceWrapper, rect: pymupdf.Rect, body: str, archive: pymupdf.Archive, css: str
) -> None:
    story = pymupdf.Story(body, user_css=css + HEADER_CSS, archive=archive)
    more, _ = story.place(rect)
    if more:
        raise RuntimeError("header/footer does not fit")
    story.draw(dev)


def _layout(total_pages: int | None, breaks: frozenset[str]) -> tuple[bytes, int]:
    """Lay the agreement out; ``total_pages`` is used for "Page N of M" (None: count only)."""
    archive, font_css = _font_archive()
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    page_no = 0
    for part in contract_html(breaks):
        story = pymupdf.Story(part, user_css=font_css + CSS, archive=archive)
        more = 1
        while more:
            page_no += 1
            if page_no > 40:
                raise RuntimeError("layout does not terminate")
            dev = writer.begin_page(PAGE)
            # Header first, then body, then footer: the content stream (and so the order
            # of page.get_text("words")) follows the reading order.
            header = f'<p class="header">{_smart(HEADER_TEXT)}</p>'
            _draw_small(dev, HEADER_RECT, header, archive, font_css)
            more, _ = story.place(BODY_RECT)
            story.draw(dev)
            footer = f'<p class="footer">Page {page_no} of {total_pages or 0}</p>'
            _draw_small(dev, FOOTER_RECT, footer, archive, font_css)
            writer.end_page()
    writer.close()
    return buf.getvalue(), page_no


_STRANDED_RE = re.compile(r"^(ARTICLE \d+|PART [A-Z]|\d+\.\d+)(?:\s+[^.\n]+\.)?\s*$")


def _stranded(pdf: bytes) -> frozenset[str]:
    """Headings that end a page (their text is on the next one), and a split signature block."""
    found: set[str] = set()
    with pymupdf.open("pdf", pdf) as doc:
        for page in doc:
            blocks = [
                b
                for b in page.get_text("blocks", sort=False)
                if b[1] >= BODY_RECT.y0 - 1 and b[3] <= BODY_RECT.y1 + 1
            ]
            if blocks and (m := _STRANDED_RE.match(blocks[-1][4].strip())):
                found.add(m[1])
            text = page.get_text()
            if "IN WITNESS WHEREOF" in text and SIGNATORIES[-1][2] not in text:
                found.add("WITNESS")
    return frozenset(found)


def build_digital() -> bytes:
    """Return the bytes of the born-digital agreement."""
    _check_cross_references()
    # Keep-with-next, done by hand (MuPDF's HTML layout has no "page-break-after: avoid"):
    # lay out, find headings stranded at the foot of a page or a signature block split
    # across pages, force a page break before them, and repeat.
    breaks: frozenset[str] = frozenset()
    for _ in range(10):
        raw, total = _layout(None, breaks)
        found = _stranded(raw)
        if not found:
            break
        breaks |= found
    else:
        raise RuntimeError("could not settle the page breaks")
    raw, again = _layout(total, breaks)
    if again != total or _stranded(raw):
        raise RuntimeError("page layout is not stable")
    if not 12 <= total <= 20:
        raise RuntimeError(f"the agreement should run to 12-20 pages, not {total}")
    doc = pymupdf.open("pdf", raw)
    doc.set_metadata(
        {
            "title": "Master Services Agreement",
            "author": "Westfall Legal sample generator",
            "subject": f"Fictional agreement between {PROVIDER} and {CUSTOMER} (sample data)",
            "keywords": "sample, fictional, master services agreement",
            "creator": "resources/samples/generate.py",
            "producer": "PyMuPDF",
            "creationDate": PDF_DATE,
            "modDate": PDF_DATE,
        }
    )
    out = doc.tobytes(garbage=4, deflate=True, no_new_id=True, reproducible=True)
    doc.close()
    return bytes(out)


# --------------------------------------------------------------------------------------
# Scanned rendition
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScannedPage:
    jpeg: bytes
    angle: float  # degrees, positive = counter-clockwise as seen on screen


def _scan_page(page: pymupdf.Page, index: int) -> ScannedPage:
    rng = np.random.default_rng([SCAN_SEED, index])
    magnitude = rng.uniform(SCAN_MIN_ANGLE, SCAN_MAX_ANGLE)
    angle = round(float(magnitude if rng.random() < 0.5 else -magnitude), 3)

    pix = page.get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    arr = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    img = Image.fromarray(arr[:, : pix.width].copy(), mode="L")

    # Optics: a touch of blur, then the skew of a page laid slightly crooked on the glass.
    img = img.filter(ImageFilter.GaussianBlur(radius=0.8))
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)

    # Contrast loss (ink never quite black, paper a hair off white), sensor noise.
    data = np.asarray(img, dtype=np.float32)
    data = 30.0 + data * ((250.0 - 30.0) / 255.0)
    data += rng.normal(0.0, 4.0, size=data.shape).astype(np.float32)
    # Scanner white-point correction: near-white paper is clipped to white.
    data[data > 238.0] = 255.0
    img = Image.fromarray(np.clip(data, 0, 255).astype(np.uint8), mode="L")

    # Dust: a few dark speckles and short hairs.
    draw = ImageDraw.Draw(img)
    width, height = img.size
    for _ in range(int(rng.integers(25, 60))):
        x, y = float(rng.uniform(0, width)), float(rng.uniform(0, height))
        r = float(rng.uniform(0.8, 3.0))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=int(rng.integers(40, 140)))
    for _ in range(int(rng.integers(0, 3))):
        x, y = float(rng.uniform(0, width)), float(rng.uniform(0, height))
        dx, dy = rng.uniform(-40, 40, size=2)
        draw.line((x, y, x + float(dx), y + float(dy)), fill=int(rng.integers(90, 160)), width=2)

    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=SCAN_JPEG_QUALITY, optimize=True, dpi=(300, 300))
    return ScannedPage(jpeg=buf.getvalue(), angle=angle)


def build_scan(digital: bytes) -> tuple[bytes, dict[str, object]]:
    """Return the image-only PDF and its ground-truth record."""
    src = pymupdf.open("pdf", digital)
    out = pymupdf.open()
    pages: list[dict[str, object]] = []
    for index, page in enumerate(src):
        scanned = _scan_page(page, index)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=scanned.jpeg)
        if new.get_text().strip():
            raise RuntimeError("scanned page unexpectedly has a text layer")
        pages.append({"page": index + 1, "rotation_deg": scanned.angle})
    out.set_metadata(
        {
            "title": "Master Services Agreement (scanned)",
            "author": "Westfall Legal sample generator",
            "subject": "Image-only scan simulation of master_services_agreement.pdf",
            "creator": "resources/samples/generate.py",
            "producer": "PyMuPDF",
            "creationDate": PDF_DATE,
            "modDate": PDF_DATE,
        }
    )
    data = bytes(out.tobytes(garbage=4, deflate=True, no_new_id=True, reproducible=True))
    record: dict[str, object] = {
        "source": DIGITAL_NAME,
        "scan": SCAN_NAME,
        "page_count": len(pages),
        "dpi": SCAN_DPI,
        "colorspace": "gray",
        "jpeg_quality": SCAN_JPEG_QUALITY,
        "seed": SCAN_SEED,
        "page_size_pt": [PAGE.width, PAGE.height],
        "rotation_convention": (
            "rotation_deg is the angle by which the page content was rotated about the page "
            "centre, in degrees; positive = counter-clockwise as the page is viewed upright "
            "(PIL Image.rotate convention). To deskew, rotate by -rotation_deg."
        ),
        "pages": pages,
    }
    src.close()
    out.close()
    return data, record


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent, help="output folder"
    )
    parser.add_argument(
        "--only", choices=("digital", "scan"), help="write only one of the two renditions"
    )
    args = parser.parse_args(argv)
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)

    digital = build_digital()
    if args.only != "scan":
        (out_dir / DIGITAL_NAME).write_bytes(digital)
        print(f"wrote {out_dir / DIGITAL_NAME} ({len(digital):,} bytes)")
    if args.only != "digital":
        scan, record = build_scan(digital)
        (out_dir / SCAN_NAME).write_bytes(scan)
        (out_dir / SCAN_JSON_NAME).write_text(json.dumps(record, indent=2) + "\n", "utf-8")
        print(f"wrote {out_dir / SCAN_NAME} ({len(scan):,} bytes)")
        print(f"wrote {out_dir / SCAN_JSON_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
