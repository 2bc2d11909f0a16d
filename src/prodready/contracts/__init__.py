"""ODCS data contracts: lint now; checks against real data build on the same model."""
