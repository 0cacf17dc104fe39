"""The review as the reviewers left it, for File > Export review and Print: pure data, so it
lives in :mod:`westfall_legal.session.reviewed` (the CLI can use it too); re-exported here."""

from westfall_legal.session.reviewed import VERBS as VERBS
from westfall_legal.session.reviewed import reviewed_html as reviewed_html
from westfall_legal.session.reviewed import reviewed_json as reviewed_json
from westfall_legal.session.reviewed import reviewed_part as reviewed_part
