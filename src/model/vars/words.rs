//! BuildKit's word splitting of an expanded word (`ProcessWords`).

/// BuildKit's word splitter: unquoted whitespace ends a word; quoted or escaped
/// characters never do.
#[derive(Default)]
pub(super) struct Words {
    done: Vec<String>,
    current: String,
    in_word: bool,
}

impl Words {
    pub(super) fn add_char(&mut self, c: char) {
        if !c.is_whitespace() {
            self.add_raw_char(c);
        } else if self.in_word && !self.current.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
            self.in_word = false;
        }
    }

    pub(super) fn add_raw_char(&mut self, c: char) {
        self.current.push(c);
        self.in_word = true;
    }

    pub(super) fn add_str(&mut self, text: &str) {
        text.chars().for_each(|c| self.add_char(c));
    }

    pub(super) fn add_raw_str(&mut self, text: &str) {
        self.current.push_str(text);
        self.in_word = true;
    }

    pub(super) fn finish(mut self) -> Vec<String> {
        if !self.current.is_empty() {
            self.done.push(self.current);
        }
        self.done
    }
}
