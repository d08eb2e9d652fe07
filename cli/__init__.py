"""The composition root: the one command line (`board ...`) and the seed builder.

Everything here sits above every other package: it reads files with `loaders`, stores them with
`store`, writes exports with `reports`. Nothing below imports it.
"""
