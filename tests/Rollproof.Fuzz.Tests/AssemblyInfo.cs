// A campaign measures allocation process-wide (a parser's own threads count too), so no two run at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
