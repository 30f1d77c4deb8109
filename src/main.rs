// The binary's allocator; the benches set the same one so they measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(dockstage::cli::run());
}
