"""Operations tagged sync_tasks."""
