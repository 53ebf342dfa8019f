"""Services: the rules of the product, shared by the CLI and the TUI. No Textual here.

One package per part of the domain, so a behaviour is found from the folder names:

- ``segments/`` — segment headers and their rules, lines, reading and searching them;
- ``criteria/`` — Add, Reduce and Refine Contacts, the fields they filter on, saved
  criteria, Go Back;
- ``log/`` — Log Segment, logged segments, the contacts of a logged segment reused;
- ``interactions/`` — interaction log entries, Create Interaction, statistics, letters;
- ``delivery/`` — delivering logged documents exactly once (e-mail, hard copy, print
  files);
- ``documents/`` — Word templates, merge-field values, merging letters, PDFs;
- ``printouts/`` — labels, cover sheets, the contacts report;
- ``contacts/`` — contacts and their rules, CSV import and export, profile answers;
- ``setup/`` — setup tables and records, the setup file, look-ups, number series, the
  work date;
- ``demo/`` — the demo data.

The modules at this level are shared by several of them: typed values from text
(``values``), filter lines of the lists (``list_filters``), streamed output
(``streaming``, ``json_rows``), safe files (``csv_output``, ``output_files``) and how a
table shows a field (``columns``; each package's ``columns`` holds its entities' tables).
``docs/architecture.md`` shows how they fit together.
"""
