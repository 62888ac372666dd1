// BitextAlign: sentence segmentation, paragraph and sentence alignment, QA flags.
