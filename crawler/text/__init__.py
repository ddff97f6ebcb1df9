"""The text side: reading one notice. Pure functions over strings: no network, no database.
`parse` assembles the record, outline, problems, figures, segmentation, keywords and tags."""
