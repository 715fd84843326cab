fn main() {
    std::process::exit(rask::cli::main());
}
