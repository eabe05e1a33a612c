"""Rounds: what the CAS test peer releases about a user: the staff number (工号)."""

STAFF_NUMBERS = {"zhang": "T1001", "disabled": "T1002", "stranger": "T9999"}


def staff_number(user, service):
    return {"staffNo": STAFF_NUMBERS.get(user.get_username(), ""), "displayName": user.get_full_name()}
