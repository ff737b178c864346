"""Supplier diversity, as shown: the blocks the Suppliers page and the PDF section share."""
