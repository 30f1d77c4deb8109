//! `dockstage size`: the estimated size of the final image, per stage and per instruction.

use std::path::{Path, PathBuf};

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::config::ConfigCache;
use crate::emit::escape::{escape, json_for_terminal, shown_path};
use crate::emit::print_stdout;
use crate::lint::LintOptions;
use crate::model::StageGraph;
use crate::rules::Context;
use crate::size::catalog::KnowledgeCatalog;
use crate::size::context::ContextIndex;
use crate::size::{estimate, report, Estimate, ImageCatalog, SizeInput};
use crate::syntax;
use clap::{Args, ValueEnum};

#[derive(Args, Debug)]
pub struct SizeArgs {
    /// The Dockerfile (default: ./Dockerfile)
    pub path: Option<PathBuf>,
    #[arg(long)]
    pub target: Option<String>,
    /// The build context (default: the Dockerfile's directory)
    #[arg(long)]
    pub context: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = SizeFormat::Human)]
    pub format: SizeFormat,
    #[arg(long, default_value = "linux/amd64")]
    pub platform: String,
    /// Use this configuration file instead of discovering `.dockstage.toml`
    /// (its `[[images]]` add to the base-image table)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Human output: one summary line per stage copied from, without its layers
    #[arg(long)]
    pub collapse_stages: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SizeFormat {
    Human,
    Json,
}

/// Sizes with the embedded tables plus the `[[images]]` of the configuration that
/// applies to the Dockerfile (`--config`, else the nearest `.dockstage.toml`).
pub fn run(args: &SizeArgs) -> i32 {
    let path = dockerfile_path(args);
    let config = match ConfigCache::new(args.config.as_deref()).for_file(&path) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("dockstage: {}", escape(&err.to_string()));
            return EXIT_ERROR;
        }
    };
    let catalog = KnowledgeCatalog {
        extra_images: &config.settings.rows.base_images,
        extra_build_tools: &config.settings.rows.build_tools,
        ..KnowledgeCatalog::default()
    };
    let options = config.lint_options_for(&path);
    run_with_role(args, &catalog, &options)
}

fn dockerfile_path(args: &SizeArgs) -> PathBuf {
    let path = args
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from("Dockerfile"));
    if path.is_dir() {
        path.join("Dockerfile")
    } else {
        path
    }
}

/// [`run`] with another image catalog (configuration adds rows to the default one).
pub fn run_with(args: &SizeArgs, catalog: &dyn ImageCatalog) -> i32 {
    run_with_role(args, catalog, &LintOptions::default())
}

/// [`run_with`], the image role inferred with `options`' settings and configured role.
fn run_with_role(args: &SizeArgs, catalog: &dyn ImageCatalog, options: &LintOptions) -> i32 {
    let path = dockerfile_path(args);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("dockstage: cannot read {}: {err}", shown_path(&path));
            return EXIT_ERROR;
        }
    };
    if let Some(reason) = crate::lint::binary_reason(&bytes) {
        eprintln!(
            "dockstage: {}: not a Dockerfile: the file is binary ({reason})",
            shown_path(&path)
        );
        return EXIT_ERROR;
    }
    if args.platform != "linux/amd64" {
        eprintln!(
            "dockstage: sizes are known for linux/amd64; {} images are usually within 10 %",
            args.platform
        );
    }
    let context_dir = args.context.clone().unwrap_or_else(|| {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    });
    let file = syntax::parse_bytes(&bytes);
    let graph = StageGraph::build(&file, args.target.as_deref());
    if let Some(error) = &graph.target_error {
        eprintln!("dockstage: {}: {}", shown_path(&path), escape(error));
        return EXIT_ERROR;
    }
    if graph.stages.is_empty() {
        eprintln!(
            "dockstage: {}: no FROM instruction, so no image to size",
            shown_path(&path)
        );
        return EXIT_ERROR;
    }
    let context = match ContextIndex::build_for(&path, &context_dir) {
        Ok(index) => Some(index),
        Err(err) => {
            eprintln!(
                "dockstage: {}; COPY sources are sized as unknown",
                escape(&err.to_string())
            );
            None
        }
    };
    if let Some(context) = &context {
        for warning in context.warnings() {
            eprintln!("dockstage: warning: {}", escape(&warning.to_string()));
        }
    }
    let result: Estimate = estimate(&SizeInput {
        file: &file,
        graph: &graph,
        context: context.as_ref(),
        catalog,
    });
    let name = path.display().to_string();
    let role = Context::with_settings(&file, &graph, &options.settings)
        .with_path(Some(&name))
        .with_role(options.image_role)
        .image_role()
        .clone();
    for warning in &result.warnings {
        eprintln!(
            "{}:{}: warning: {}",
            shown_path(&path),
            warning.line,
            escape(&warning.message)
        );
    }
    // Text from the file (image names, instructions) is escaped for the terminal.
    let text = match args.format {
        SizeFormat::Json => json_for_terminal(&report::to_json(&name, &result, Some(&role))),
        SizeFormat::Human => escape(&report::to_human_with(
            &name,
            &result,
            Some(&role),
            !args.collapse_stages,
        ))
        .into_owned(),
    };
    if print_stdout(&text) {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }
}
