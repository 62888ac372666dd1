// BitextPipeline: pipeline files, plans, the batch runner.
