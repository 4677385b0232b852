"""The Textual app: screens that show the core's state and send it the learner's keys.

Nothing outside this package imports Textual; the CLI reaches the app through
:func:`maliquiz.ui.app.run_app`, imported only when the app is opened.
"""
