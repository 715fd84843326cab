fn main() {
    println!("rask");
}
