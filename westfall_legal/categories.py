"""CUAD's 41 clause categories: the labels every stage, the GUI and feedback bundles share.

They are the clause model's outputs, in CUAD v1's order (the order of its master CSV).
"""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "Document Name", "Parties", "Agreement Date", "Effective Date", "Expiration Date",
    "Renewal Term", "Notice Period To Terminate Renewal", "Governing Law",
    "Most Favored Nation", "Competitive Restriction Exception", "Non-Compete", "Exclusivity",
    "No-Solicit Of Customers", "No-Solicit Of Employees", "Non-Disparagement",
    "Termination For Convenience", "Rofr/Rofo/Rofn", "Change Of Control", "Anti-Assignment",
    "Revenue/Profit Sharing", "Price Restrictions", "Minimum Commitment", "Volume Restriction",
    "Ip Ownership Assignment", "Joint Ip Ownership", "License Grant",
    "Non-Transferable License", "Affiliate License-Licensor", "Affiliate License-Licensee",
    "Unlimited/All-You-Can-Eat-License", "Irrevocable Or Perpetual License",
    "Source Code Escrow", "Post-Termination Services", "Audit Rights", "Uncapped Liability",
    "Cap On Liability", "Liquidated Damages", "Warranty Duration", "Insurance",
    "Covenant Not To Sue", "Third Party Beneficiary",
)  # fmt: skip
# The ten categories reviewers ask for most: recall first (the target: >= 0.9).
TOP_CATEGORIES = (
    "Governing Law", "Termination For Convenience", "Cap On Liability", "Uncapped Liability",
    "Anti-Assignment", "Change Of Control", "Non-Compete", "Exclusivity",
    "Ip Ownership Assignment", "Renewal Term",
)  # fmt: skip
