"""rasa-sdk actions: read slots, call `directory`/`casework`, utter responses by name, return events."""
