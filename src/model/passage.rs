//! The report's own text outside its items: every paragraph, list item, table row and
//! footnote, as passages for the search index (each linked to the section that holds it).

/// What holds a passage, besides its section.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassageFlags {
    /// In the summary section.
    pub summary: bool,
    /// In an editorial note (`> [!NOTE]`): the editors' words, not the auditors'.
    pub editorial: bool,
}

/// A passage of an audit's body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Passage {
    /// Plain text.
    pub text: String,
    /// The anchor on the audit page it links to: the id of the heading whose section holds
    /// it (empty before the first heading: the top of the page).
    pub anchor: String,
    /// That heading's text.
    pub section: String,
    /// The audit question whose section holds it.
    pub question: Option<String>,
    pub flags: PassageFlags,
}

/// An audit's passages, LZ4-compressed: they are read once, by the indexer, and a large
/// site's bodies are the biggest thing a build holds in memory (see [`super::Packed`]).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Passages {
    count: usize,
    bytes: crate::spill::Packed,
}

impl Passages {
    /// Packs `passages`: per passage a flags byte, then text, anchor, section and question,
    /// each as a little-endian `u32` length and its bytes.
    pub fn new(passages: &[Passage]) -> Passages {
        let mut raw = Vec::new();
        for p in passages {
            let flags = u8::from(p.flags.summary)
                | u8::from(p.flags.editorial) << 1
                | u8::from(p.question.is_some()) << 2;
            raw.push(flags);
            for s in [
                &p.text,
                &p.anchor,
                &p.section,
                p.question.as_deref().unwrap_or(""),
            ] {
                raw.extend_from_slice(&(s.len() as u32).to_le_bytes());
                raw.extend_from_slice(s.as_bytes());
            }
        }
        Passages {
            count: passages.len(),
            bytes: crate::spill::Packed::from_bytes(&raw),
        }
    }

    /// How many passages there are.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Moves the passages' bytes into `spill` (see [`Packed::spill`](crate::spill::Packed::spill)).
    pub fn spill(&mut self, spill: &std::sync::Arc<crate::spill::Spill>) {
        self.bytes.spill(spill);
    }

    /// The passages, in document order.
    pub fn get(&self) -> Vec<Passage> {
        // Only `new` makes the bytes, so they always decode.
        let raw = self.bytes.bytes();
        let mut reader = Reader(&raw);
        let mut out = Vec::new();
        while let Some(flags) = reader.byte() {
            let (Some(text), Some(anchor), Some(section), Some(question)) =
                (reader.text(), reader.text(), reader.text(), reader.text())
            else {
                break;
            };
            out.push(Passage {
                text,
                anchor,
                section,
                question: (flags & 4 != 0).then_some(question),
                flags: PassageFlags {
                    summary: flags & 1 != 0,
                    editorial: flags & 2 != 0,
                },
            });
        }
        out
    }
}

impl std::fmt::Debug for Passages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.get()).finish()
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn text(&mut self) -> Option<String> {
        let len = u32::from_le_bytes(self.0.get(..4)?.try_into().ok()?) as usize;
        let bytes = self.0.get(4..4 + len)?;
        self.0 = &self.0[4 + len..];
        String::from_utf8(bytes.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_round_trip() {
        let passages = vec![
            Passage {
                text: "Ett skatteunderlag som inte växer.".into(),
                anchor: "3-3-digitaliseringsarbetet".into(),
                section: "3.3 Digitaliseringsarbetet".into(),
                question: Some("rf4".into()),
                flags: PassageFlags {
                    summary: false,
                    editorial: true,
                },
            },
            Passage {
                text: "Före första rubriken.".into(),
                ..Passage::default()
            },
        ];
        assert_eq!(Passages::new(&passages).get(), passages);
        assert!(Passages::default().get().is_empty());
    }
}
