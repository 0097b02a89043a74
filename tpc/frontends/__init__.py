"""Front ends that read programs written elsewhere into IR (RASP text lives in
:mod:`tpc.grammar`; Tracr programs in :mod:`tpc.frontends.tracr_import`)."""
