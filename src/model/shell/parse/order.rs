//! Putting the commands found in source order, and renumbering the indices
//! and pipelines they refer to each other by.

use super::super::command::{CommandOrigin, SimpleCommand};

/// Sorts commands by where they start (a command before those nested in it)
/// and renumbers the indices commands refer to each other by.
pub(super) fn in_source_order(commands: Vec<SimpleCommand>) -> Vec<SimpleCommand> {
    let mut order: Vec<usize> = (0..commands.len()).collect();
    order.sort_by_key(|&i| commands[i].span.start);
    let mut new_index = vec![0; commands.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let remap = |index: usize| new_index.get(index).copied().unwrap_or(index);
    let mut slots: Vec<Option<SimpleCommand>> = commands.into_iter().map(Some).collect();
    let mut pipeline_numbers: Vec<(usize, usize)> = Vec::new();
    let mut sorted = Vec::with_capacity(slots.len());
    for old in order {
        let Some(mut command) = slots.get_mut(old).and_then(Option::take) else {
            continue;
        };
        command.origin = match command.origin {
            CommandOrigin::Direct => CommandOrigin::Direct,
            CommandOrigin::Substitution { command } => CommandOrigin::Substitution {
                command: command.map(remap),
            },
            CommandOrigin::ScriptString { command } => CommandOrigin::ScriptString {
                command: remap(command),
            },
            CommandOrigin::Delegated { command } => CommandOrigin::Delegated {
                command: remap(command),
            },
        };
        // Number pipelines in order of appearance.
        if let Some(pipeline) = command.pipeline.as_mut() {
            let number = match pipeline_numbers
                .iter()
                .find(|(old, _)| *old == pipeline.index)
            {
                Some(&(_, number)) => number,
                None => {
                    let number = pipeline_numbers.len();
                    pipeline_numbers.push((pipeline.index, number));
                    number
                }
            };
            pipeline.index = number;
        }
        sorted.push(command);
    }
    sorted
}
