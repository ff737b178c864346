"""One package per metric family on the showing side (issue 21, docs/architecture.md): its
figure builders, sentences, the blocks its page and its PDF section share, the page itself."""
