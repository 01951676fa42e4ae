fn main() -> std::process::ExitCode {
    insyn::cli::main()
}
