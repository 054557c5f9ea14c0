"""Running a build: read, skip the unchanged, extract (here, in worker processes or on Dask), write."""
