//! Size estimate of the final image, per stage and per instruction.
