"""What is planned: the scenario (event, participants, fleet) and the resulting plan."""
