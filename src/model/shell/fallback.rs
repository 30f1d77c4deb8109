//! A conservative word splitter for text the shell grammar rejects.
//!
//! Only used for the parts of a script the parser could not make sense of
//! (an unterminated quote, a stray keyword): it splits on `&&`, `||`, `;`,
//! `|`, `&`, newlines and parentheses, honours quotes and backslashes as far
//! as they go, and never fails.

use super::word::Cooked;

/// A word found by the splitter; `start..end` is its source range.
#[derive(Clone, Debug)]
pub(super) struct RoughWord {
    pub cooked: Cooked,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug)]
pub(super) struct RoughCommand {
    pub words: Vec<RoughWord>,
    /// (group, position, length) when piped with `|` to or from another command.
    pub pipeline: Option<(usize, usize, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Separator {
    Pipe,
    Other,
}

/// Splits `text`, whose first byte is at source offset `base`.
pub(super) fn split(text: &str, base: usize) -> Vec<RoughCommand> {
    let mut commands: Vec<(Vec<RoughWord>, Option<Separator>)> = Vec::new();
    let mut words: Vec<RoughWord> = Vec::new();
    let mut current: Option<RoughWord> = None;
    let mut chars = text.char_indices().peekable();

    let finish_word = |current: &mut Option<RoughWord>, words: &mut Vec<RoughWord>| {
        if let Some(word) = current.take() {
            words.push(word);
        }
    };

    while let Some((i, ch)) = chars.next() {
        let at = base + i;
        match ch {
            '\'' | '"' => {
                let word = current.get_or_insert_with(|| RoughWord {
                    cooked: Cooked::new(at),
                    start: at,
                    end: at,
                });
                let mut end = at + 1;
                while let Some((j, inner)) = chars.next() {
                    end = base + j + inner.len_utf8();
                    if inner == ch {
                        break;
                    }
                    if ch == '"' && inner == '\\' {
                        if let Some((k, escaped)) = chars.next() {
                            end = base + k + escaped.len_utf8();
                            word.cooked.push(escaped, base + k);
                            continue;
                        }
                    }
                    if ch == '"' && inner == '$' {
                        word.cooked.is_static = false;
                    }
                    word.cooked.push(inner, base + j);
                }
                word.end = end;
            }
            '\\' => {
                let word = current.get_or_insert_with(|| RoughWord {
                    cooked: Cooked::new(at),
                    start: at,
                    end: at,
                });
                word.end = at + 1;
                if let Some((j, escaped)) = chars.next() {
                    word.end = base + j + escaped.len_utf8();
                    if escaped != '\n' {
                        word.cooked.push(escaped, base + j);
                    }
                }
            }
            '#' if current.is_none() => {
                // A comment runs to the end of the line.
                while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                    chars.next();
                }
            }
            '&' | '|' | ';' | '\n' | '(' | ')' => {
                finish_word(&mut current, &mut words);
                let doubled =
                    matches!(ch, '&' | '|') && chars.peek().is_some_and(|&(_, c)| c == ch);
                if doubled {
                    chars.next();
                }
                let separator = if ch == '|' && !doubled {
                    Separator::Pipe
                } else {
                    Separator::Other
                };
                commands.push((std::mem::take(&mut words), Some(separator)));
            }
            c if c.is_whitespace() => finish_word(&mut current, &mut words),
            c => {
                let word = current.get_or_insert_with(|| RoughWord {
                    cooked: Cooked::new(at),
                    start: at,
                    end: at,
                });
                if c == '$' || c == '`' {
                    word.cooked.is_static = false;
                }
                word.cooked.push(c, at);
                word.end = at + c.len_utf8();
            }
        }
    }
    finish_word(&mut current, &mut words);
    commands.push((words, None));
    group_pipelines(commands)
}

fn group_pipelines(commands: Vec<(Vec<RoughWord>, Option<Separator>)>) -> Vec<RoughCommand> {
    let mut result: Vec<RoughCommand> = Vec::new();
    let mut group = 0;
    let mut stage: Vec<RoughCommand> = Vec::new();
    for (words, separator) in commands {
        if !words.is_empty() {
            stage.push(RoughCommand {
                words,
                pipeline: None,
            });
        }
        if separator != Some(Separator::Pipe) {
            close(&mut stage, &mut result, &mut group);
        }
    }
    close(&mut stage, &mut result, &mut group);
    result
}

/// Moves a finished pipeline (or single command) into `result`.
fn close(stage: &mut Vec<RoughCommand>, result: &mut Vec<RoughCommand>, group: &mut usize) {
    let len = stage.len();
    for (position, mut command) in stage.drain(..).enumerate() {
        if len > 1 {
            command.pipeline = Some((*group, position, len));
        }
        result.push(command);
    }
    if len > 1 {
        *group += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<Vec<String>> {
        split(text, 0)
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.cooked.value).collect())
            .collect()
    }

    #[test]
    fn splits_on_control_operators() {
        assert_eq!(
            texts("a 1 && b 'x y'; c|d || e & f\ng"),
            vec![
                vec!["a", "1"],
                vec!["b", "x y"],
                vec!["c"],
                vec!["d"],
                vec!["e"],
                vec!["f"],
                vec!["g"]
            ]
        );
    }

    #[test]
    fn an_unterminated_quote_runs_to_the_end() {
        assert_eq!(
            texts("echo \"abc && apt-get"),
            vec![vec!["echo", "abc && apt-get"]]
        );
    }

    #[test]
    fn pipes_group_commands() {
        let commands = split("curl x | sh; ls", 0);
        assert_eq!(commands[0].pipeline, Some((0, 0, 2)));
        assert_eq!(commands[1].pipeline, Some((0, 1, 2)));
        assert_eq!(commands[2].pipeline, None);
    }

    #[test]
    fn ranges_are_offset_by_the_base() {
        let commands = split("ab 'c'", 10);
        let word = &commands[0].words[1];
        assert_eq!((word.start, word.end), (13, 16));
        assert_eq!(word.cooked.map[0], 14);
    }

    #[test]
    fn comments_and_escapes() {
        assert_eq!(texts("# x && y\nrm \\;"), vec![vec!["rm", ";"]]);
    }
}
