"""What each metric family shows, one package each (docs/architecture.md):
`dashboard/families/<family>/` holds its figure builders `charts.py`, its sentences
`narrative.py`, the blocks its page and PDF section share `blocks.py`, the PDF section
`section.py` (`build_section`, `findings`) and its Streamlit page(s) `page_<name>.py`."""
