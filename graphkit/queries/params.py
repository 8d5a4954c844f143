"""Query parameters: their declaration (``Parameter``: type, default, range or choices) and the
conversion of a typed value to the declared type (``convert``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable


from graphkit.ingest import values as nz
from graphkit.ingest.account_ref import account_ref


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    required: bool
    default: Any = None
    minimum: Any = None
    maximum: Any = None
    choices: tuple = ()
    refers: str | None = None

    def allowed(self) -> str:
        """``at least 0``, ``from 0 to 1``, ``one of confirmed | candidate | rejected`` or ''."""
        if self.choices:
            return "one of " + " | ".join(_show(c, quote=False) for c in self.choices)
        low, high = (None if x is None else _show(x) for x in (self.minimum, self.maximum))
        if low is not None and high is not None:
            return f"from {low} to {high}"
        return f"at least {low}" if low is not None else (f"at most {high}" if high is not None else "")

    def describe(self) -> str:
        default = "required" if self.required else f"default {_show(self.default)}"
        allowed = self.allowed()
        return f"{self.name} ({self.type}{', ' + allowed if allowed else ''}, {default})"

    def check(self, value: Any) -> Any:
        """``value`` (converted) within the declared range or choices; ValueError otherwise."""
        if self.choices:
            for choice in self.choices:
                if value == choice or (isinstance(value, str) and str(choice).lower() == value.strip().lower()):
                    return choice
            raise ValueError(f"not {_show(value)}")
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise ValueError(f"not {_show(value)}")
        return value



_ARTICLE = {
    "string": "a string", "integer": "an integer", "float": "a number", "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)", "datetime": "a date-time (ISO 8601)", "list": "a list",
    "group": "a group id or name", "account": "an account as PLATFORM:HANDLE or a profile URL",
    "platform": "a platform name",
}


def _show(value: Any, quote: bool = True) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return repr(value) if quote else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# ------------------------------------------------------------------ parameter types
def convert(kind: str, value: Any) -> Any:
    """``value`` (a Python value, or the text of a ``-p KEY VALUE``) as the declared type.
    Raises ValueError/TypeError with a short reason."""
    return _CONVERTERS[kind](value)


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"got {type(value).__name__}")


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise ValueError(f"{value!r} is not a whole number")


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("got a boolean")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not a finite number")
        return number
    raise TypeError(f"got {type(value).__name__}")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise ValueError(f"{value!r} is not true or false")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        raise TypeError("got a date-time; give a date")
    if isinstance(value, date):
        return value
    if hasattr(value, "to_native") and type(value).__name__ == "Date":  # neo4j.time.Date
        return value.to_native()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    raise TypeError(f"got {type(value).__name__}")


def _datetime(value: Any) -> datetime:
    if hasattr(value, "to_native") and type(value).__name__ == "DateTime":  # neo4j.time.DateTime
        value = value.to_native()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date or date-time") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    raise TypeError(f"got {type(value).__name__}")


def _list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            try:
                parsed = json.loads(text)
            except ValueError:
                raise ValueError(f"{value!r} is not a JSON list") from None
            if isinstance(parsed, list):
                return parsed
        return nz.split_list(text)
    raise TypeError(f"got {type(value).__name__}")


def _group(value: Any) -> str:
    gid = nz.group_id(_string(value))
    if not gid:
        raise ValueError("it is empty")
    return gid


def _account(value: Any) -> str:
    """``PLATFORM:HANDLE`` (``twitter:@Foo`` too), ``platform:id:123`` or a profile URL -> Account.key."""
    return account_ref(_string(value)).key


def _platform(value: Any) -> str:
    name = nz.platform(_string(value))  # ValueError naming the known platforms
    if not name:
        raise ValueError("it is empty")
    return name


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": _string, "integer": _integer, "float": _float, "boolean": _boolean, "date": _date,
    "datetime": _datetime, "list": _list, "group": _group, "account": _account, "platform": _platform,
}


