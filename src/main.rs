fn main() {
    std::process::exit(dockstage::cli::run());
}
