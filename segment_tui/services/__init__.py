"""Services: the rules of the product, shared by the CLI and the TUI. No Textual here."""
