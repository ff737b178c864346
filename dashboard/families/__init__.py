"""One package per metric family on the showing side (issue 21): its figure builders,
sentences, the block definitions its page and its PDF section share, the section and the
page(s). The computing side of each family is pipelines/families/<family>/."""
