"""Operations that edit values and commit them: bump and promote (history, rollback, rotate join them).

The stages of each, in order:
  plan    from one snapshot of the values file, the edited text, checked before any write
          (bump.py; promote.py takes the new images from another env's merged values)
  apply   under the env's lock: check nobody changed the file, replace it, render, commit,
          and undo every write if the commit fails (apply.py: apply_values_edits)
The entry points: bump.plan_bump(...) / promote.plan_promote(...), then apply.apply_values_edits(...).
This file imports nothing.
"""
