// A refused allocation is a MemoryError and exit status 1, not an abort (value/limits.rs).
#[global_allocator]
static ALLOC: rask::value::limits::ExitOnOom = rask::value::limits::ExitOnOom;

fn main() {
    std::process::exit(rask::cli::main());
}
