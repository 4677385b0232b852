"""Modal dialogs: yes/no confirmation, user switch."""
