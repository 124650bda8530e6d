package dev.jobqueue.snippets;

/** The made-up domain the Javadoc examples talk about (orders, receipts, a payment service). */
final class Shop {

    private Shop() {
    }

    record Order(String id, long cents) {
    }

    record Receipt(String orderId, String charge) {
        Receipt redacted() {
            return new Receipt(orderId, "***");
        }
    }

    interface Payments {
        Receipt charge(Order order);

        Receipt charge(Order order, String idempotencyKey);
    }

    interface Alerts {
        void send(String text);
    }
}
