"""Full screens of the app: home, study, exam, stats, browse, help."""
