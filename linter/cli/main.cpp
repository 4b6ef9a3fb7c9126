#include <cstdio>
int main() { std::puts("tagwarden: under construction"); return 0; }
