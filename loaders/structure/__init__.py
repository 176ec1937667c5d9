"""The document-structure layer: raw lines become typed blocks (paragraphs, list items, table rows, headings) with
page furniture removed, tables with their columns and unit, and an outline of sections. Extractors read only this."""
