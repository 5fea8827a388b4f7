"""A deployment's own SMS gateway, named by its dotted path in SMS_BACKEND (the production-settings
tests use it: a real deployment plugs in its operator's gateway the same way)."""

from notifications.sms.base import SMSBackend, SMSMessage, SMSSendFailed


class DeploymentGateway(SMSBackend):
    code = "deployment-gateway"

    def send(self, message: SMSMessage) -> None:
        raise SMSSendFailed("this test gateway is never asked to send")
