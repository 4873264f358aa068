"""Promeneurs du Net coordination bot."""
