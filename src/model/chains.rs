//! Facts about the stage graph computed once per file, each in time linear in stages
//! plus edges: which stage a name resolves to, the base chains, the target's chain,
//! what reaches what. Rules read these instead of walking the graph, so that a file
//! of thousands of stages costs no more per stage than a file of three.
//!
//! A stage's base (`FROM <stage>`) is always an earlier stage, so a single forward
//! pass over the stages sees every base before the stages built on it.

use super::graph::{Base, Stage, StageGraph};

impl StageGraph {
    /// The rest of the index, once edges and the target are known.
    pub(super) fn index_chains(&mut self) {
        let mut stage_edges: Vec<(usize, usize)> = self
            .edges
            .iter()
            .filter_map(|edge| match edge.to {
                super::graph::EdgeTarget::Stage(to) => Some((edge.from_stage, to)),
                _ => None,
            })
            .collect();
        stage_edges.sort_unstable();
        stage_edges.dedup();
        self.index.stage_edges = stage_edges;
        self.index.root = self.fold_chains(|base: Option<&usize>, stage| match base {
            Some(&root) => root,
            None => stage,
        });
        let mut in_target_chain = vec![false; self.stages.len()];
        if let Some(target) = self.target {
            for stage in self.base_chain(target) {
                in_target_chain[stage] = true;
            }
        }
        self.index.in_target_chain = in_target_chain;
    }

    /// The last stage named `name` (case-insensitive), as BuildKit resolves it.
    pub fn last_named(&self, name: &str) -> Option<usize> {
        self.index
            .by_name
            .get(&name.to_ascii_lowercase())
            .and_then(|stages| stages.last().copied())
    }

    /// The first stage named `name`.
    pub fn first_named(&self, name: &str) -> Option<usize> {
        self.index
            .by_name
            .get(&name.to_ascii_lowercase())
            .and_then(|stages| stages.first().copied())
    }

    /// The first stage after `after` named `name`.
    pub(super) fn first_named_after(&self, after: usize, name: &str) -> Option<usize> {
        let stages = self.index.by_name.get(&name.to_ascii_lowercase())?;
        stages.get(stages.partition_point(|&s| s <= after)).copied()
    }

    /// The stage a stage is built `FROM`, if it is built on one.
    pub fn base_of(&self, stage: usize) -> Option<usize> {
        match self.stages[stage].base {
            Base::Stage(base) if base < stage => Some(base),
            _ => None,
        }
    }

    /// The stage and its bases, nearest first: `final`, `build`, `deps`... Costs the
    /// chain's length: for a fact of every stage's chain use [`StageGraph::fold_chains`].
    pub fn base_chain(&self, stage: usize) -> Vec<usize> {
        std::iter::successors(Some(stage), |&s| self.base_of(s)).collect()
    }

    /// Per stage, a value computed from the value of its base (`None` when built on an
    /// image or scratch): one pass, bases first.
    pub fn fold_chains<T>(&self, mut step: impl FnMut(Option<&T>, usize) -> T) -> Vec<T> {
        let mut values: Vec<T> = Vec::with_capacity(self.stages.len());
        for stage in 0..self.stages.len() {
            let value = step(self.base_of(stage).map(|base| &values[base]), stage);
            values.push(value);
        }
        values
    }

    /// Per stage: whether `own` holds for it or for a stage of its base chain.
    pub fn chain_any(&self, mut own: impl FnMut(usize) -> bool) -> Vec<bool> {
        self.fold_chains(|base: Option<&bool>, stage| own(stage) || base == Some(&true))
    }

    /// Per stage: whether `own` holds for a stage it is built on (not itself).
    pub fn bases_any(&self, own: impl FnMut(usize) -> bool) -> Vec<bool> {
        let chain = self.chain_any(own);
        (0..self.stages.len())
            .map(|stage| self.base_of(stage).is_some_and(|base| chain[base]))
            .collect()
    }

    /// The image at the root of a stage's base chain.
    pub fn root_base(&self, stage: usize) -> &Base {
        let root = self.index.root.get(stage).copied().unwrap_or(stage);
        &self.stages[root].base
    }

    /// Whether the stage's layers are the target's: it is the target or one of the
    /// stages the target is built `FROM`.
    pub fn in_target_chain(&self, stage: usize) -> bool {
        self.index
            .in_target_chain
            .get(stage)
            .copied()
            .unwrap_or(false)
    }

    /// Every stage-to-stage edge as `(user, used)`, sorted and without duplicates.
    pub fn stage_edges(&self) -> &[(usize, usize)] {
        &self.index.stage_edges
    }

    /// Per stage: whether one of `starts` is it or depends on it.
    pub fn reachable_from(&self, starts: &[usize]) -> Vec<bool> {
        reachable(self.stages.len(), starts, &self.index.stage_edges)
    }

    /// The stage that holds instruction `at`, if any (ARGs before the first FROM have none).
    pub fn stage_of(&self, at: usize) -> Option<&Stage> {
        let after = self.stages.partition_point(|s| s.from_instruction <= at);
        let stage = &self.stages[after.checked_sub(1)?];
        (stage.from_instruction == at || stage.body.contains(&at)).then_some(stage)
    }
}

/// Per stage of `count`: whether one of `starts` is it or reaches it over `edges`,
/// `(user, used)` pairs sorted by user. Linear in stages plus edges.
pub fn reachable(count: usize, starts: &[usize], edges: &[(usize, usize)]) -> Vec<bool> {
    let mut reached = vec![false; count];
    let mut queue: Vec<usize> = Vec::new();
    for &start in starts {
        if start < count && !reached[start] {
            reached[start] = true;
            queue.push(start);
        }
    }
    while let Some(stage) = queue.pop() {
        let first = edges.partition_point(|&(from, _)| from < stage);
        for &(_, to) in edges[first..]
            .iter()
            .take_while(|&&(from, _)| from == stage)
        {
            if to < count && !reached[to] {
                reached[to] = true;
                queue.push(to);
            }
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use crate::model::StageGraph;
    use crate::syntax::parse;

    #[test]
    fn chains_roots_and_the_target_chain_are_indexed() {
        let file = parse(
            "FROM alpine AS base\nFROM base AS build\nFROM debian AS other\nFROM build AS final\nCOPY --from=other /a /a\n",
        );
        let graph = StageGraph::build(&file, None);
        assert_eq!(graph.base_chain(3), vec![3, 1, 0]);
        assert_eq!(graph.root_base(3), &graph.stages[0].base);
        assert!(graph.in_target_chain(0) && graph.in_target_chain(1));
        assert!(!graph.in_target_chain(2));
        assert_eq!(graph.chain_any(|s| s == 0), vec![true, true, false, true]);
        assert_eq!(graph.bases_any(|s| s == 1), vec![false, false, false, true]);
        assert_eq!(graph.reachable_from(&[3]), vec![true, true, true, true]);
        assert_eq!(graph.reachable_from(&[2]), vec![false, false, true, false]);
        assert_eq!(graph.stage_of(4).map(|s| s.index), Some(3));
    }

    #[test]
    fn a_stage_named_later_is_found_for_a_from_that_names_no_earlier_stage() {
        let file = parse("FROM later AS first\nFROM alpine AS later\nFROM alpine AS LATER\n");
        let graph = StageGraph::build(&file, None);
        assert_eq!(graph.last_named("later"), Some(2));
        assert_eq!(graph.first_named_after(0, "Later"), Some(1));
        assert_eq!(graph.first_named_after(1, "later"), Some(2));
    }
}
