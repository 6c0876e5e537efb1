// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "lib/line.h"

/* The tables lib/line.h's number formatting reads, built at compile time. */
#define D2(x)	#x "0" #x "1" #x "2" #x "3" #x "4" #x "5" #x "6" #x "7" #x "8" #x "9"
const char fmt_digits2[200] = D2(0) D2(1) D2(2) D2(3) D2(4) D2(5) D2(6) D2(7) D2(8) D2(9);

#define H2(x)	#x "0" #x "1" #x "2" #x "3" #x "4" #x "5" #x "6" #x "7" \
		#x "8" #x "9" #x "a" #x "b" #x "c" #x "d" #x "e" #x "f"
const char fmt_hex2[512] = H2(0) H2(1) H2(2) H2(3) H2(4) H2(5) H2(6) H2(7)
			   H2(8) H2(9) H2(a) H2(b) H2(c) H2(d) H2(e) H2(f);
