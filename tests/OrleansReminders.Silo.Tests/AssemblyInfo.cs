// Every test class here starts a whole service (silo, HTTP, demo clock) on the machine's two cores; run
// them one after another so none starves another's scaled clock or timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
