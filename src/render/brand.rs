//! The site's accent colour (`brand.accent`) as the theme's CSS custom
//! properties: a variant for light pages and one for dark pages, each
//! darkened or lightened until text in it, and text on it, keeps the 4.5:1
//! contrast WCAG AA asks of body text.

/// The darkest background light pages put links on (`--surface-2`).
const LIGHT_SURFACE: Rgb = Rgb(0xea, 0xee, 0xf3);
/// The lightest background dark pages put links on (`--surface-2`).
const DARK_SURFACE: Rgb = Rgb(0x24, 0x2a, 0x33);
/// The page backgrounds, which menus tint with the accent.
const LIGHT_PAGE: Rgb = Rgb(0xff, 0xff, 0xff);
const DARK_PAGE: Rgb = Rgb(0x12, 0x15, 0x1a);
/// Text on the accent in dark mode (the theme's `--on-accent` there).
const DARK_TEXT: Rgb = Rgb(0x0d, 0x11, 0x17);
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
const BLACK: Rgb = Rgb(0, 0, 0);

/// WCAG AA for body text.
const MIN_CONTRAST: f64 = 4.5;
/// How far each step moves the colour towards black or white; 20 steps
/// reach it, where any colour passes.
const STEP: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    /// `#rgb` or `#rrggbb` (config checked it).
    fn parse(hex: &str) -> Option<Rgb> {
        let hex = hex.strip_prefix('#')?;
        let digits: Vec<u8> = match hex.len() {
            3 => hex
                .chars()
                .map(|c| c.to_digit(16).map(|d| d as u8 * 17))
                .collect::<Option<_>>()?,
            6 => (0..3)
                .map(|i| u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok())
                .collect::<Option<_>>()?,
            _ => return None,
        };
        Some(Rgb(digits[0], digits[1], digits[2]))
    }

    fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance, as WCAG defines it.
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// `self` moved `amount` (0 to 1) of the way towards `target`.
    fn mix(self, target: Rgb, amount: f64) -> Rgb {
        let channel = |from: u8, to: u8| {
            (f64::from(from) + (f64::from(to) - f64::from(from)) * amount).round() as u8
        };
        Rgb(
            channel(self.0, target.0),
            channel(self.1, target.1),
            channel(self.2, target.2),
        )
    }

    /// `self`, moved step by step towards `target` until it contrasts
    /// enough with `surface` and with its own tint of `page` (the
    /// background of the current item in menus).
    fn readable_on(self, surface: Rgb, page: Rgb, target: Rgb) -> Rgb {
        (0..=20)
            .map(|step| self.mix(target, f64::from(step) * STEP))
            .find(|colour| {
                colour.contrast(surface) >= MIN_CONTRAST
                    && colour.contrast(colour.tint(page)) >= MIN_CONTRAST
            })
            .unwrap_or(target)
    }

    /// The page's background with a touch of the colour: what menus mark
    /// the current item with.
    fn tint(self, page: Rgb) -> Rgb {
        page.mix(self, 0.14)
    }
}

/// The CSS that gives the theme the accent colour `hex`: custom properties
/// in `light-dark()`, for screens only (printing stays black on white).
/// `None` when `hex` is not a colour.
pub fn accent_css(hex: &str) -> Option<String> {
    let accent = Rgb::parse(hex)?;
    let light = accent.readable_on(LIGHT_SURFACE, LIGHT_PAGE, BLACK);
    let dark = accent.readable_on(DARK_SURFACE, DARK_PAGE, WHITE);
    let pair = |l: Rgb, d: Rgb| format!("light-dark({}, {})", l.css(), d.css());
    let properties = [
        ("--accent", pair(light, dark)),
        ("--link", pair(light, dark)),
        ("--quote-bar", pair(light, dark)),
        (
            "--link-hover",
            pair(light.mix(BLACK, 0.3), dark.mix(WHITE, 0.3)),
        ),
        ("--on-accent", pair(WHITE, DARK_TEXT)),
        (
            "--accent-soft",
            pair(light.tint(LIGHT_PAGE), dark.tint(DARK_PAGE)),
        ),
    ];
    let body: String = properties
        .iter()
        .map(|(name, value)| format!("{name}:{value};"))
        .collect();
    Some(format!("@media screen{{:root{{{body}}}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours_of(css: &str, property: &str) -> (Rgb, Rgb) {
        let start = css
            .find(&format!("{property}:light-dark("))
            .expect(property)
            + property.len()
            + 12;
        let (light, rest) = css[start..].split_once(", ").expect("two colours");
        let dark = &rest[..rest.find(')').expect("a closing parenthesis")];
        (
            Rgb::parse(light).expect("light"),
            Rgb::parse(dark).expect("dark"),
        )
    }

    #[test]
    fn every_accent_keeps_text_readable_in_light_and_dark() {
        for accent in [
            "#0b5cad", "#ffeb3b", "#000", "#fff", "#e91e63", "#777777", "#2e7d32",
        ] {
            let css = accent_css(accent).expect("a colour");
            let (light, dark) = colours_of(&css, "--accent");
            let (on_light, on_dark) = colours_of(&css, "--on-accent");
            for (colour, background) in [
                (light, LIGHT_SURFACE),
                (light, WHITE),
                (on_light, light),
                (dark, DARK_SURFACE),
                (on_dark, dark),
            ] {
                let contrast = colour.contrast(background);
                assert!(
                    contrast >= MIN_CONTRAST,
                    "{accent}: {colour:?} on {background:?} is {contrast:.2}"
                );
            }
            let (soft_light, soft_dark) = colours_of(&css, "--accent-soft");
            assert!(
                light.contrast(soft_light) >= MIN_CONTRAST,
                "{accent}: light on its tint"
            );
            assert!(
                dark.contrast(soft_dark) >= MIN_CONTRAST,
                "{accent}: dark on its tint"
            );
        }
    }

    #[test]
    fn a_readable_accent_is_kept_as_it_is() {
        let css = accent_css("#0b5cad").expect("a colour");
        assert_eq!(colours_of(&css, "--accent").0, Rgb(0x0b, 0x5c, 0xad));
    }

    #[test]
    fn short_and_long_hex_colours_are_read_alike() {
        assert_eq!(Rgb::parse("#0af"), Rgb::parse("#00aaff"));
        assert_eq!(Rgb::parse("#0b5cad"), Some(Rgb(0x0b, 0x5c, 0xad)));
        assert_eq!(Rgb::parse("blue"), None);
    }

    #[test]
    fn the_accent_is_for_screens_only() {
        assert!(accent_css("#0b5cad")
            .expect("a colour")
            .starts_with("@media screen{:root{"));
    }
}
