"""The reports of a run beyond JSON and Markdown: the HTML page (`html`), the role x operation
matrix it shows (`matrix`), and the HTML rendering of the contract (`docs`)."""
