"""The verdicts and the reports of a run: the verdicts by requirement and conformance.json and
.md (`results`), the known failures (`known_failures`), the documentation site's links
(`docs_site`), the HTML page (`html`), the role x operation matrix it shows (`matrix`), and the
HTML rendering of the contract (`docs`).

May import: contract, target.
"""
