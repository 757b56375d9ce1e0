"""The beneficiary registry list: its item model over ids."""
