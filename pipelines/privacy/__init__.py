"""Statistical disclosure control for everything the product publishes.

Published figures (dashboard, PDF, downloads, CLI by default) are *protected*: counts get
cell-key perturbation (`ptable`), magnitudes (pay means and medians, spend, model results)
get noise scaled to one contributor (`magnitudes`), and a cell is hidden when its protected
count is below k. The keys that drive both are a function of the cell and a secret salt
stored in the built database (`keys`), so a cell has one published value in every view and
every run. docs/privacy.md explains the method, its parameters and its known limits.
"""
