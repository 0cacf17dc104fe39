"""The word lists anonymisation decides with: legal forms, and the words that are never a
name on their own (function words, roles, headings, titles, places, generic words).

All keys are case-folded, except ``LEGAL_FORMS``, whose spellings are exact (after dropping
full stops: ``L.L.C.`` -> ``LLC``), so "Inc" is a legal form and "inc" is not.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Legal forms, as written (full stops dropped). Ambiguous ones ("AS", "SE") only count after
# a name written in mixed case.
LEGAL_FORMS = _words(
    "Inc INC Incorporated INCORPORATED Corp CORP Corporation CORPORATION Company COMPANY "
    "Co CO LLC Llc LLLP LLP LP Lp PLLC Ltd LTD Limited LIMITED Plc PLC plc PC "
    "GmbH GMBH gGmbH AG KG KGaA SE SA SAS SASU SARL Sarl Sàrl SCA SCS SNC BV NV CV "
    "SpA SPA Srl SRL SL SLU Pty PTY KK Oy OY Oyj OYJ AB ASA AS A/S ApS APS "
    "Sdn SDN Bhd BHD Pte PTE Ltda LTDA SRO AO OAO ZAO PAO OOO PJSC JSC NA "
    "SAB SAC EIRL Kft Zrt Nyrt AD EAD EOOD"
)
AMBIGUOUS_FORMS = _words("AS SE SA AB AG AD NA PC CO Co CV SL KK AO KG OY Oy SAS SPA")
# US state codes that are also legal forms: a legal form only when written with full stops.
STATE_CODES = _words("NV CO PA SC SD AL DE")
LEGAL_KEYS = frozenset(f.casefold() for f in LEGAL_FORMS if len(f) > 2 or f.isupper())
# Head nouns that end an organisation's name without a legal form ("... Products Fund II").
WEAK_FORMS = _words("fund bank trust")

CONNECTORS = _words("of and & de du des der den van von la le y e di da del do dos das for")

STOP = _words(
    "a an the this that these those such said any all each every either neither no nor not "
    "or but if then than so as at by for from in into on onto to with without within upon "
    "under over after before between among amongst against about above below during through "
    "throughout until unless except including excluding regarding per via is are was were be "
    "been being am has have had having do does did shall should will would may might must "
    "can could which who whom whose what when where while whereas whereof whereby hereby "
    "herein hereof hereunder hereto thereof therein thereto thereunder its it their his her "
    "our your my we us they them he she you i notwithstanding pursuant subject following "
    "accordingly also further furthermore however therefore thus both other same only "
    "further additionally provided witnesseth witness now recitals background dated "
    "made entered effective executed signed date day month year"
)
ROLES = _words(
    "provider customer client supplier vendor licensor licensee buyer seller sellers purchaser "
    "company contractor consultant distributor manufacturer party parties lender borrower "
    "landlord tenant employer employee franchisor franchisee agent principal reseller "
    "partner member owner developer publisher sponsor investor guarantor grantor grantee "
    "shipper carrier transporter producer marketer promoter endorser talent artist "
    "executive officer director parent subsidiary affiliate affiliates beneficiary insurer "
    "insured lessor lessee holder holders recipient discloser issuer trustee custodian "
    "administrator adviser advisor sub-advisor sub-adviser manager operator host studio "
    "network station user users licensors licensees purchasers buyers vendors suppliers "
    "customers clients contractors consultants distributors members partners owners "
    "franchisees companies bank banks fund funds trust lenders borrowers funds sponsors "
    "collaborator collaborators indemnitee indemnitor servicer originator underwriter "
    "dealer dealers retailer retailers representative representatives successor assigns "
    "acquiror acquirer target merger sub stockholder stockholders shareholder shareholders "
    "employees personnel contractor subcontractor subcontractors affiliate consultant "
    "institution entity entities person persons individual individuals counterparty"
)
HEADINGS = _words(
    "agreement agreements amendment exhibit schedule annex appendix page section article "
    "signature signatures witness whereof addendum attachment clause recital recitals "
    "definitions notices notice part chapter table contents form"
)
TITLES = _words(
    "president vice chief ceo cfo coo cto cio cmo evp svp vp chairman chairwoman chair "
    "director secretary treasurer manager counsel clerk partner officer assistant attorney "
    "managing executive senior general principal founder owner trustee controller head "
    "authorized authorised signatory representative title name by its date print printed "
    "sign signed signature witness attest attested notary mr mrs ms dr prof esq"
)
# Titles that end an organisation's name when walking back from its legal form ("... Chief
# Executive Officer American Champion Media, Inc."); "Manager", "Partners" can be part of one.
TITLE_STOP = (TITLES | _words("administrator administration")) - _words(
    "manager partner principal general executive head managing senior trustee counsel owner founder"
)
PERSON_STOP = (
    TITLES
    | HEADINGS
    | _words(
        "to at and or of the with copy email e-mail fax tel phone department legal team desk "
        "office division contracts notices procurement finance accounts payable receivable "
        "operations board administration administrator project deputy alliance"
    )
)
# The start of a job title after a person's name (a regex alternation).
TITLE_START = (
    "President|Vice|Chief|CEO|CFO|COO|CTO|Chairman|Chairwoman|Chair|Director|Secretary|"
    "Treasurer|Manager|Counsel|Clerk|Partner|Officer|Assistant|Attorney|Managing|Executive|"
    "Senior|General[ \\t]Counsel|Principal|Founder|Trustee|Controller|Authori[sz]ed[ \\t]Signatory"
)
DESCRIPTORS = _words(
    "limited liability company corporation partnership general public private joint stock "
    "exempted municipal banking national association incorporated unlimited professional "
    "business statutory cooperative body politic corporate organisation organization "
    "affiliated holding investment operating major parent successor surviving acquiring "
    "foreign domestic series class tranche"
)
GOVERNMENT = _words(
    "state states commonwealth city town county village borough municipality republic "
    "kingdom government federal ministry department district province territory united "
    "nations court courts council commission agency authority office"
)
# Words that do not identify an organisation on their own (its leading distinctive words
# do: "Halloran Pike" of "Halloran Pike Digital Services, Inc.").
GENERIC = _words(
    "the and of a an services service digital provisions holdings holding group technologies "
    "technology international systems solutions capital partners global management industries "
    "enterprises company corporation bank trust american national united general first new "
    "north south east west media energy software pharmaceuticals health financial resources "
    "products communications networks investments properties ventures consulting associates "
    "brands foods logistics labs laboratories data network online mobile medical therapeutics "
    "motors entertainment inc llc ltd corp co limited plc lp llp federal state institute "
    "university association society foundation council department commission authority "
    "agency office insurance deposit assurance life research development marketing sales "
    "trading commerce industrial manufacturing chemical chemicals oil gas power electric "
    "finance funding preferred infrastructure operations institutional annuity acquisition"
)
NAME_WORDS = GENERIC
# Places are not replaced on their own (a party "Texas Pacific Land Corp" must not turn the
# governing law "State of Texas" into a placeholder).
PLACES = _words(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico "
    "york carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee texas utah vermont "
    "virginia washington wisconsin wyoming america canada ontario quebec england britain wales "
    "scotland ireland london paris germany france china japan india singapore hong kong "
    "australia switzerland netherlands luxembourg bermuda cayman pacific atlantic usa us uk "
    "u.s. u.k. europe european asia africa columbia british islands island virgin district "
    "beijing shanghai tokyo sweden swedish japanese chinese german french english korea "
    "israel italy spain brazil"
)
# Words that end a phrase that is not an organisation ("the Exchange Act", "FCA Rules").
INSTRUMENTS = _words(
    "act acts code rules rule regulation regulations law laws agreement plan program programme "
    "contract contracts territory territories materials products services "
    "date period term schedule exhibit section article order directive treaty convention "
    "policy standard standards guidelines"
)
ABBREVIATIONS = _words(
    "dr mr mrs ms st co no nos inc corp ltd bros intl mfg natl jr sr esq prof gen govt dept "
    "ave blvd rd ste fl bldg assn"
)
# Role words that also head an organisation's name ("Bank of America", "Bankers Bank").
ORGISH = _words("bank banks fund funds trust network studio station institution")
PLAIN_ROLES = ROLES - ORGISH
NOT_CONTENT = STOP | PLAIN_ROLES | LEGAL_KEYS | DESCRIPTORS | GOVERNMENT | HEADINGS | TITLES
# Words trimmed from the start of a name a finder walked back over ("and the Licensor and").
LEADING_JUNK = CONNECTORS | STOP | PLAIN_ROLES | HEADINGS | TITLES
