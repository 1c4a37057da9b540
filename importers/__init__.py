"""Importers: Traffy Fondue exports and MIS/1555 spreadsheets into the canonical complaint table."""
