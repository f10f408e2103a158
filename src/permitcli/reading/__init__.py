"""Reading invoices and specifications into goods lines, in stages; data flows one way, down this list.

- formats: what a file is, from its content (xlsx, xls, ods, xlsb, CSV; anything else refused).
- columns: the fields of a line, column letters, the --columns option.
- numbers: numbers as typed (`1 000,50`, `1,234.50`), and what they say of the file's commas.
- cells: one cell as text, as a number, as a code attempt.
- grid: a workbook's sheets and a CSV file's rows (encoding, merged ranges, formulas without a saved result).
- vocabulary: data/headers.toml: the field a heading names, totals and charges words, currencies, captions.
- headings: where the goods table starts and which column holds which field.
- rows: what kind of row a row is (totals, charges, caption, column numbers, repeated heading, footer label).
- lines: the walk over the rows that builds the goods lines and accounts for every row.
- stream: open_invoice / open_invoices / read_invoice / read_invoices and InvoiceStream.
- early: a large workbook's parse started before the command line interface is imported (permitcli.launch).

`permitcli.invoices` is the public face of it all.
"""
