//! Dates as students write them: `2024-09-12`, `12/09/2024`, `12/09/24`.

use jiff::civil::Date;

/// The forms accepted, for messages.
pub const FORMS: &str = "2024-09-12, 12/09/2024 ou 12/09/24";

/// Years a réalisation can have: anything else is a typo (year 0, 20244).
pub const YEARS: std::ops::RangeInclusive<i16> = 1970..=2100;

/// Parse a date in one of the accepted forms. Two-digit years are 20xx.
pub fn parse(raw: &str) -> Option<Date> {
    let s = raw.trim();
    // "2024-09-12T08:00:00" or "2024-09-12 08:00": keep the date, if the time is a time.
    let (s, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    if time.is_some_and(|t| !is_time(t)) {
        return None;
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n = |p: &str| p.parse::<i32>().ok();
    let (y, m, d) = if parts[0].len() == 4 {
        (n(parts[0])?, n(parts[1])?, n(parts[2])?)
    } else if parts[2].len() == 4 {
        (n(parts[2])?, n(parts[1])?, n(parts[0])?)
    } else if parts[2].len() == 2 {
        (2000 + n(parts[2])?, n(parts[1])?, n(parts[0])?)
    } else {
        return None;
    };
    let year = i16::try_from(y).ok().filter(|y| YEARS.contains(y))?;
    Date::new(year, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// `08:30`, `08:30:00`, `08:30:00.5`, with an optional `Z` or `+02:00`.
fn is_time(t: &str) -> bool {
    let t = t.strip_suffix(['Z', 'z']).unwrap_or(t);
    let t = match t.rfind(['+', '-']) {
        Some(i) if is_hh_mm(&t[i + 1..], false) => &t[..i],
        _ => t,
    };
    is_hh_mm(t, true)
}

fn is_hh_mm(t: &str, seconds: bool) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    let n = |p: &str, max: u32| {
        let p = p.split('.').next().unwrap_or(p);
        p.len() == 2
            && p.chars().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|v| v <= max)
    };
    match parts.as_slice() {
        [h, m] => n(h, 23) && n(m, 59) && !m.contains('.'),
        [h, m, sec] if seconds => n(h, 23) && n(m, 59) && n(sec, 60),
        _ => false,
    }
}

/// `JJ/MM/AA`, as the official table asks.
pub fn short(d: Date) -> String {
    format!("{:02}/{:02}/{:02}", d.day(), d.month(), d.year() % 100)
}

/// `12 septembre 2024`.
pub fn long_fr(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let day = if d.day() == 1 {
        "1er".to_owned()
    } else {
        d.day().to_string()
    };
    format!("{day} {} {}", MONTHS[(d.month() - 1) as usize], d.year())
}

/// The period as the official table writes it: `du 12/09/24 au 20/10/24`.
pub fn period(start: Option<Date>, end: Option<Date>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if s == e => format!("le {}", short(s)),
        (Some(s), Some(e)) => format!("du {} au {}", short(s), short(e)),
        (Some(s), None) => format!("depuis le {}", short(s)),
        (None, Some(e)) => format!("jusqu'au {}", short(e)),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn accepted_forms() {
        assert_eq!(parse("2024-09-12"), Some(date(2024, 9, 12)));
        assert_eq!(parse("12/09/2024"), Some(date(2024, 9, 12)));
        assert_eq!(parse("12/09/24"), Some(date(2024, 9, 12)));
        assert_eq!(parse("1/9/2024"), Some(date(2024, 9, 1)));
        assert_eq!(parse("12.09.2024"), Some(date(2024, 9, 12)));
        assert_eq!(parse("2024-09-12T08:30:00"), Some(date(2024, 9, 12)));
        assert_eq!(parse("2024-09-12 08:30"), Some(date(2024, 9, 12)));
        assert_eq!(parse("2024-09-12T08:30:00+02:00"), Some(date(2024, 9, 12)));
        assert_eq!(parse("2024-09-12T08:30:00.25Z"), Some(date(2024, 9, 12)));
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "31/02/2024",
            "2024-13-01",
            "septembre 2024",
            "12/2024",
            "",
            "12/09/2024/1",
            "2025-01-06T25:61:00",
            "2025-01-06T12:61",
            "2025-01-06 demain",
            "0000-01-01",
            "01/01/0",
            "20244-01-01",
            "1800-05-01",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(
            period(Some(date(2024, 9, 12)), Some(date(2024, 10, 20))),
            "du 12/09/24 au 20/10/24"
        );
        assert_eq!(long_fr(date(2025, 1, 1)), "1er janvier 2025");
    }
}
