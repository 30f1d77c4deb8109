//! Size estimate of the final image, per stage and per instruction.

pub mod context;
pub mod dockerignore;
mod gopath;
