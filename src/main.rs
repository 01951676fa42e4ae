// Building a site allocates many small strings on every core; mimalloc does that several
// times faster than the system allocator (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    insyn::cmd::main()
}
